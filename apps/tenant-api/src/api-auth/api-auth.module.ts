import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ApiKeyStrategy } from './api-key.strategy';
import { TenantAccessService } from './tenant-access.service';

@Global()
@Module({
  imports: [PassportModule],
  providers: [ApiKeyStrategy, TenantAccessService],
  exports: [TenantAccessService],
})
export class ApiAuthModule {}
