/** What every layer needs to know about the workspace a request is for. */
export interface WorkspaceContext {
  readonly workspaceId: string;
  readonly workspaceSlug: string;
  readonly workspaceName: string;
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly tenantName: string;
  readonly settings: WorkspaceSettings;
}

export interface WorkspaceSettings {
  /** How many results `search` returns (1–50). */
  readonly searchResultLimit: number;
  /** Opt-in: keep raw search queries in the audit log for a bounded time (default: never stored). */
  readonly queryLog?: Partial<QueryLogPolicy>;
  /** Requests per minute at this workspace's connector. */
  readonly rateLimits?: Partial<WorkspaceRateLimits>;
  /** serve, annotate (metadata.flags) or quarantine documents flagged at ingestion. */
  readonly flaggedDocuments?: import('./document').FlaggedDocumentPolicy;
  /** What `search` does with queries that look like smuggled data (DESIGN §6). */
  readonly queryGuard?: Partial<QueryGuardPolicy>;
  /** Which OAuth clients may connect and where they may redirect; absent means the default policy. */
  readonly clientPolicy?: Partial<import('./client-policy').ClientPolicy>;
  /** Who is a member by rule (members of named SCIM groups), besides those added one by one. */
  readonly membership?: import('./membership').MembershipRule;
}

export interface QueryGuardPolicy {
  /** block: refuse with a tool error; strip: remove the suspicious parts; allow: only the length cap applies. */
  readonly mode: 'block' | 'strip' | 'allow';
  readonly maxQueryChars: number;
}

export interface QueryLogPolicy {
  readonly store: boolean;
  /** Raw queries are removed from audit events older than this (1–90 days). */
  readonly retentionDays: number;
}

export const DEFAULT_QUERY_LOG: QueryLogPolicy = { store: false, retentionDays: 7 };

export function queryLogPolicy(settings: WorkspaceSettings): QueryLogPolicy {
  return { ...DEFAULT_QUERY_LOG, ...(settings.queryLog ?? {}) };
}

export interface WorkspaceRateLimits {
  readonly workspacePerMinute: number;
  readonly principalPerMinute: number;
  readonly clientPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: WorkspaceRateLimits = { workspacePerMinute: 6000, principalPerMinute: 600, clientPerMinute: 3000 };

export function rateLimitsOf(settings: WorkspaceSettings): WorkspaceRateLimits {
  return { ...DEFAULT_RATE_LIMITS, ...(settings.rateLimits ?? {}) };
}

export const DEFAULT_QUERY_GUARD: QueryGuardPolicy = { mode: 'block', maxQueryChars: 4096 };
export const MAX_QUERY_CHARS_LIMIT = 16_384;

export function queryGuardPolicy(settings: WorkspaceSettings): QueryGuardPolicy {
  return { ...DEFAULT_QUERY_GUARD, ...(settings.queryGuard ?? {}) };
}

export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = { searchResultLimit: 10 };
export const MAX_SEARCH_RESULT_LIMIT = 50;

/** The connector path is stable and readable: /mcp/{tenant}/{workspace}. */
export function connectorPath(tenantSlug: string, workspaceSlug: string): string {
  return `/mcp/${tenantSlug}/${workspaceSlug}`;
}

export function connectorUrl(publicUrl: string, tenantSlug: string, workspaceSlug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${connectorPath(tenantSlug, workspaceSlug)}`;
}

/** RFC 9728 §3.1: the well-known segment goes between the host and the resource's path. */
export function protectedResourceMetadataUrl(publicUrl: string, tenantSlug: string, workspaceSlug: string): string {
  const base = new URL(publicUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}/.well-known/oauth-protected-resource${prefix}${connectorPath(tenantSlug, workspaceSlug)}`;
}

/** Where a tenant's OpenID Connect IdP sends users back to after federated sign-in. */
export const FEDERATION_CALLBACK_PATH = '/oauth/federation/callback';
