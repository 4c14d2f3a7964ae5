import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ApiKeyStrategy } from './api-key.strategy';
import { ConsoleSessionService } from './console-session.service';
import { TenantAccessService } from './tenant-access.service';

@Global()
@Module({
  imports: [PassportModule],
  providers: [ApiKeyStrategy, TenantAccessService, ConsoleSessionService],
  exports: [TenantAccessService, ConsoleSessionService],
})
export class ApiAuthModule {}
