import { errors, type Client, type ClientMetadata, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import { CONSOLE_CALLBACK_PATH, CONSOLE_CLIENT_ID, CONSOLE_SCOPE, tenantOfConsoleResource } from '@tessera/domain';
import { consoleClientSecret } from '@tessera/server';
import type { WorkspaceDirectory } from './workspace-directory';

/**
 * The admin console: a first-party, confidential client (its secret derived from the admin token, held by
 * the tenant API's backend and never by the browser), redirecting only to the platform's own callback.
 */
export function consoleClientMetadata(publicUrl: string, adminToken: string): ClientMetadata {
  return {
    client_id: CONSOLE_CLIENT_ID,
    client_secret: consoleClientSecret(adminToken),
    client_name: 'Tessera admin console',
    redirect_uris: [`${publicUrl}${CONSOLE_CALLBACK_PATH}`],
    post_logout_redirect_uris: [`${publicUrl}/console/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

export function isConsoleClient(client: Client | undefined): boolean {
  return client?.clientId === CONSOLE_CLIENT_ID;
}

/**
 * The console's resource server: one tenant's API. Only the console may ask for it, and the console may
 * ask for nothing else; its access tokens are opaque, so revoking them at sign-out takes effect.
 */
export async function consoleResourceServer(publicUrl: string, resource: string, client: Client, directory: WorkspaceDirectory): Promise<ResourceServer | undefined> {
  const isConsoleResource = tenantOfConsoleResource(publicUrl, resource) !== undefined;
  if (!isConsoleClient(client)) {
    if (isConsoleResource) throw new errors.InvalidTarget('this resource is for the admin console only');
    return undefined;
  }
  const target = isConsoleResource ? await directory.signInTargetForResource(resource) : null;
  if (!target) throw new errors.InvalidTarget('the admin console signs in to one existing tenant');
  return { scope: CONSOLE_SCOPE, audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: 3600 };
}

/**
 * First-party: the console needs no consent page. The grant is made here, for the tenant the request names,
 * for an account that is that tenant's admin.
 */
export async function consoleGrant(ctx: KoaContextWithOIDC, accountId: string, directory: WorkspaceDirectory) {
  const resource = ctx.oidc.params?.resource;
  // A browser already signed in as someone else (a member, another tenant's admin) gets no grant here: the
  // consent step then finds them no admin and answers access_denied.
  const target = typeof resource === 'string' ? await directory.signInTargetForResource(resource) : null;
  if (!target || (await directory.admits(target, accountId)) === null) return undefined;
  const grant = new ctx.oidc.provider.Grant({ accountId, clientId: CONSOLE_CLIENT_ID });
  grant.addOIDCScope('openid email profile');
  if (typeof resource === 'string') grant.addResourceScope(resource, CONSOLE_SCOPE);
  await grant.save();
  return grant;
}
