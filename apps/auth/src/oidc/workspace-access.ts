import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import { clientKindRefusal, preregisteredWorkspaceId, type ClientKind, WorkspaceContext } from '@tessera/domain';
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

/**
 * How the client came to be known: by a metadata document, pre-registered by a workspace's admin (for
 * that workspace), or else through Dynamic Client Registration. Access tokens carry it (`client_kind`)
 * so that the gateway applies the same rule to every call.
 */
export function clientKindOf(client: Client): { kind: ClientKind; preregisteredFor?: string } {
  if ((client as { clientIdMetadataDocument?: boolean }).clientIdMetadataDocument === true) return { kind: 'metadata-document' };
  const preregisteredFor = preregisteredWorkspaceId(client.metadata().software_id);
  return preregisteredFor !== undefined ? { kind: 'preregistered', preregisteredFor } : { kind: 'dynamic' };
}

function enforceWorkspacePolicy(ctx: KoaContextWithOIDC, client: Client, workspace: WorkspaceContext, extraRedirectUris: readonly string[]): void {
  const { kind, preregisteredFor } = clientKindOf(client);
  const refusal = clientKindRefusal(kind, preregisteredFor, workspace);
  if (refusal) throw new errors.UnauthorizedClient(refusal);
  // Registered by this workspace's admin, for this workspace only, with the redirect URIs they chose.
  if (kind === 'preregistered') return;
  const policy = workspaceClientPolicy(workspace, extraRedirectUris);
  // At the authorization endpoint the redirect URI about to be used; at the token endpoint (code grant) the same one, repeated.
  const redirectUri: unknown = ctx.oidc.params?.redirect_uri;
  if (redirectUri === undefined) return;
  if (typeof redirectUri !== 'string' || firstDisallowedRedirect([redirectUri], policy)) {
    throw ctx.oidc.route === 'token'
      ? new errors.UnauthorizedClient('redirect_uri is not allowed for this workspace')
      : new errors.InvalidRequest('redirect_uri is not allowed for this workspace');
  }
}
