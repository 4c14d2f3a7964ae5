export * from './entities';
export { MIGRATIONS } from './migrations';
export { INDEX_CHANGE_CHANNEL } from './migrations/1765296000000-index-change-notifications';
export { databaseOutage } from './database-outage';
export { listenOnChannel, type ChannelHandlers, type ChannelSubscription } from './notification-channel';
export { ChangeFeed, HEARTBEAT_MS, type ChangeSource, type SubscribeToChanges } from './change-feed';
export { MIGRATION_LOCK_KEY, runMigrationsExclusively, type MigrationRunOptions } from './migration-lock';
export { openDatabase, EMBEDDED_APPLICATION_ROLE, type Database, type DatabaseOptions } from './data-source.factory';
export {
  enterWorkspace, inWorkspaceTransaction, lockWorkspaceIndexExclusively, readInWorkspace, rowSecurityBypassed, selfScopedStatement, WORKSPACE_SETTING,
  workspaceIndexLockName, type ScopedQueries,
} from './workspace-scope';
export { inTenantTransaction, TENANT_SETTING } from './tenant-scope';
export { PersistenceModule, DATABASE } from './persistence.module';
export { TenantRepository, isUniqueViolation } from './repositories/tenant.repository';
export { WorkspaceRepository } from './repositories/workspace.repository';
export { AccessTokenRepository } from './repositories/access-token.repository';
export { UserRepository, type WorkspaceUser } from './repositories/user.repository';
export { AuditRepository, AUDIT_WRITE_OBSERVER, type AuditEventInput, type AuditFilter, type AuditWriteObserver, type AuditWriteOutcome } from './repositories/audit.repository';
export { PlatformSettingRepository } from './repositories/platform-setting.repository';
export { OidcModelRepository, type OidcModelRow } from './repositories/oidc-model.repository';
export { SigningKeyRepository, type SigningKeyRow } from './repositories/signing-key.repository';
export { IdentityProviderRepository, type IdentityProviderRecord } from './repositories/identity-provider.repository';
export {
  ScimDirectoryRepository, type DirectoryFilter, type DirectoryGroup, type DirectoryGroupInput, type DirectoryPage, type DirectoryUser,
  type DirectoryUserInput, type VersionedWrite,
} from './repositories/scim-directory.repository';
export { ScimTokenRepository, type ScimTokenRecord } from './repositories/scim-token.repository';
export { DIRECTORY_CHANGE_CHANNEL } from './migrations/1765800000000-scim-directory';
export { TenantAdminRepository, type TenantAdminRow } from './repositories/tenant-admin.repository';
export { ConsoleSessionRepository, type ConsoleSessionRow } from './repositories/console-session.repository';
export { WorkspaceActivityRepository, type WorkspaceActivity } from './repositories/workspace-activity.repository';
export * as documentTable from './documents';
export { SyncRepository, type SyncRun, type SyncRunState } from './sync/sync.repository';
