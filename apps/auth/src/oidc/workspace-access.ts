import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import { preregisteredWorkspaceId, WorkspaceContext } from '@tessera/domain';
import { firstDisallowedRedirect, workspaceClientPolicy } from './client-rules';
import type { WorkspaceDirectory } from './workspace-directory';

/**
 * The one rule for "may this client get tokens for this workspace", run wherever oidc-provider resolves a
 * resource indicator (its `getResourceServerInfo` hook): the authorization endpoint, PAR and the resume
 * step, and the token endpoint for every grant (authorization_code, refresh_token). So a workspace that
 * forbids a kind of client, or a redirect URI, stops new authorizations and existing refresh tokens alike.
 */
export async function workspaceForClient(
  ctx: KoaContextWithOIDC,
  resource: string,
  client: Client,
  directory: WorkspaceDirectory,
  extraRedirectUris: readonly string[],
): Promise<WorkspaceContext> {
  requireOneResource(ctx.oidc.params?.resource);
  const workspace = await directory.workspaceForResource(resource);
  if (!workspace) throw new errors.InvalidTarget('resource is not the connector URL of a workspace');
  enforceWorkspacePolicy(ctx, client, workspace, extraRedirectUris);
  return workspace;
}

/** A request names one workspace: `resource` given more than once (or as anything but text) is refused. */
export function requireOneResource(requested: unknown): void {
  if (requested === undefined || typeof requested === 'string') return;
  throw new errors.InvalidTarget('exactly one resource parameter is allowed: the connector URL of one workspace (RFC 8707)');
}

function enforceWorkspacePolicy(ctx: KoaContextWithOIDC, client: Client, workspace: WorkspaceContext, extraRedirectUris: readonly string[]): void {
  const viaMetadataDocument = (client as { clientIdMetadataDocument?: boolean }).clientIdMetadataDocument === true;
  const preregisteredFor = viaMetadataDocument ? undefined : preregisteredWorkspaceId(client.metadata().software_id);
  if (preregisteredFor !== undefined) {
    // Registered by this workspace's admin, for this workspace only, with the redirect URIs they chose.
    if (preregisteredFor !== workspace.workspaceId) throw new errors.UnauthorizedClient('this client is registered for another workspace');
    return;
  }
  const policy = workspaceClientPolicy(workspace, extraRedirectUris);
  if (viaMetadataDocument && !policy.allowMetadataDocuments) {
    throw new errors.UnauthorizedClient('this workspace does not accept clients identified by metadata documents');
  }
  // Not a metadata-document client and not pre-registered: it came through Dynamic Client Registration.
  if (!viaMetadataDocument && !policy.allowDynamicRegistration) {
    throw new errors.UnauthorizedClient('this workspace does not accept dynamically registered clients');
  }
  // At the authorization endpoint the redirect URI about to be used; at the token endpoint (code grant) the same one, repeated.
  const redirectUri: unknown = ctx.oidc.params?.redirect_uri;
  if (redirectUri === undefined) return;
  if (typeof redirectUri !== 'string' || firstDisallowedRedirect([redirectUri], policy)) {
    throw ctx.oidc.route === 'token'
      ? new errors.UnauthorizedClient('redirect_uri is not allowed for this workspace')
      : new errors.InvalidRequest('redirect_uri is not allowed for this workspace');
  }
}
