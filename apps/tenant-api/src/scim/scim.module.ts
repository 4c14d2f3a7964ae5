import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ScimAudit } from './scim-audit';
import { ScimAuthGuard } from './scim-auth.guard';
import { ScimController } from './scim.controller';
import { ScimGroupsService } from './scim-groups.service';
import { ScimUsersService } from './scim-users.service';
import { UserDeprovisioning } from './user-deprovisioning';

/** SCIM 2.0 provisioning of a tenant's users and groups by its IdP. */
@Module({ imports: [UsersModule], controllers: [ScimController], providers: [ScimAuthGuard, ScimAudit, ScimUsersService, ScimGroupsService, UserDeprovisioning] })
export class ScimModule {}
