import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SyncRepository } from './sync/sync.repository';
import type { Database } from './data-source.factory';
import { AccessTokenRepository } from './repositories/access-token.repository';
import { AuditRepository } from './repositories/audit.repository';
import { IdentityProviderRepository } from './repositories/identity-provider.repository';
import { OidcModelRepository } from './repositories/oidc-model.repository';
import { SigningKeyRepository } from './repositories/signing-key.repository';
import { PlatformSettingRepository } from './repositories/platform-setting.repository';
import { ScimDirectoryRepository } from './repositories/scim-directory.repository';
import { ScimTokenRepository } from './repositories/scim-token.repository';
import { TenantRepository } from './repositories/tenant.repository';
import { UserRepository } from './repositories/user.repository';
import { WorkspaceRepository } from './repositories/workspace.repository';
import { TenantAdminRepository } from './repositories/tenant-admin.repository';
import { ConsoleSessionRepository } from './repositories/console-session.repository';
import { WorkspaceActivityRepository } from './repositories/workspace-activity.repository';

export const DATABASE = Symbol('DATABASE');

const REPOSITORIES = [
  TenantRepository,
  WorkspaceRepository,
  AccessTokenRepository,
  UserRepository,
  AuditRepository,
  PlatformSettingRepository,
  OidcModelRepository,
  SigningKeyRepository,
  IdentityProviderRepository,
  ScimDirectoryRepository,
  ScimTokenRepository,
  TenantAdminRepository,
  ConsoleSessionRepository,
  WorkspaceActivityRepository,
  SyncRepository,
];

/** Provides the opened database and its repositories; the app's main opens the database first. */
@Global()
@Module({})
export class PersistenceModule {
  static forDatabase(database: Database): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: DATABASE, useValue: database },
        { provide: DataSource, useValue: database.dataSource },
        ...REPOSITORIES,
      ],
      exports: [DATABASE, DataSource, ...REPOSITORIES],
    };
  }
}
