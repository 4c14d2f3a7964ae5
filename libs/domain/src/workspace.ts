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
  /** Which OAuth clients may connect and where they may redirect; absent means the default policy. */
  readonly clientPolicy?: Partial<import('./client-policy').ClientPolicy>;
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
