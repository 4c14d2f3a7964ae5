import { InitialSchema1764259200000 } from './1764259200000-initial-schema';
import { OauthStorage1764345600000 } from './1764345600000-oauth-storage';
import { TenantIdentityProviders1764432000000 } from './1764432000000-tenant-identity-providers';
import { DocumentFlags1764518400000 } from './1764518400000-document-flags';
import { PostingsCoveringKey1764604800000 } from './1764604800000-postings-covering-key';
import { IndexGeneration1764691200000 } from './1764691200000-index-generation';
import { PostingsAutovacuum1764950400000 } from './1764950400000-postings-autovacuum';
import { PostingsWriteCost1765036800000 } from './1765036800000-postings-write-cost';
import { WorkspaceRowSecurity1765123200000 } from './1765123200000-workspace-row-security';
import { WorkspaceScopedReads1765209600000 } from './1765209600000-workspace-scoped-reads';
import { IndexChangeNotifications1765296000000 } from './1765296000000-index-change-notifications';
import { PostingsWithoutDocumentIndex1765400000000 } from './1765400000000-postings-without-document-index';
import { PostingBlocks1765500000000 } from './1765500000000-posting-blocks';
import { DocumentLastModified1765600000000 } from './1765600000000-document-last-modified';
import { ScimDirectory1765800000000 } from './1765800000000-scim-directory';
import { TenantAdminsAndConsoleSessions1765900000000 } from './1765900000000-tenant-admins-and-console-sessions';
import { ReadableDocumentRow1765850000000 } from './1765850000000-readable-document-row';
import { SyncRuns1765950000000 } from './1765950000000-sync-runs';
import { SyncRowSecurity1766000000000 } from './1766000000000-sync-row-security';
import { ScimRowSecurity1766100000000 } from './1766100000000-scim-row-security';
import { WorkspaceMemberRemovals1766200000000 } from './1766200000000-workspace-member-removals';

/** Every migration, in order. Migrations are never edited after they land. */
export const MIGRATIONS = [InitialSchema1764259200000, OauthStorage1764345600000, TenantIdentityProviders1764432000000, DocumentFlags1764518400000, PostingsCoveringKey1764604800000,
  IndexGeneration1764691200000, PostingsAutovacuum1764950400000, PostingsWriteCost1765036800000,
  WorkspaceRowSecurity1765123200000, WorkspaceScopedReads1765209600000, IndexChangeNotifications1765296000000,
  PostingsWithoutDocumentIndex1765400000000, PostingBlocks1765500000000, DocumentLastModified1765600000000,
  ScimDirectory1765800000000, ReadableDocumentRow1765850000000, TenantAdminsAndConsoleSessions1765900000000, SyncRuns1765950000000,
  SyncRowSecurity1766000000000, ScimRowSecurity1766100000000, WorkspaceMemberRemovals1766200000000];
