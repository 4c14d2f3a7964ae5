import { Module } from '@nestjs/common';
import { AccessTokensModule } from './access-tokens/access-tokens.module';
import { ApiAuthModule } from './api-auth/api-auth.module';
import { AuditModule } from './audit/audit.module';
import { ConsoleModule } from './console/console.module';
import { DocumentsModule } from './documents/documents.module';
import { IdentityProviderModule } from './identity-provider/identity-provider.module';
import { OAuthClientsModule } from './oauth-clients/oauth-clients.module';
import { ScimModule } from './scim/scim.module';
import { ScimTokensModule } from './scim-tokens/scim-tokens.module';
import { TenantAdminsModule } from './tenant-admins/tenant-admins.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

/** The onboarding and admin REST API under /v1. Needs PersistenceModule, SearchModule and config. */
@Module({
  imports: [ApiAuthModule, TenantsModule, WorkspacesModule, DocumentsModule, UsersModule, AccessTokensModule, OAuthClientsModule, IdentityProviderModule, AuditModule, ScimTokensModule, ScimModule, TenantAdminsModule, ConsoleModule],
})
export class TenantApiModule {}
