import { Module } from '@nestjs/common';
import { TenantAdminsController } from './tenant-admins.controller';
import { TenantAdminsService } from './tenant-admins.service';

@Module({ controllers: [TenantAdminsController], providers: [TenantAdminsService], exports: [TenantAdminsService] })
export class TenantAdminsModule {}
