/**
 * The tenant admin console as a first-party OAuth client of Tessera's own authorization server. Its
 * `resource` (RFC 8707) is the tenant API of one tenant, which is how the sign-in pages know whose users
 * may sign in and that only that tenant's admins may.
 */
export const CONSOLE_CLIENT_ID = 'tessera-console';
export const CONSOLE_PATH = '/console';
export const CONSOLE_CALLBACK_PATH = '/console/callback';
export const CONSOLE_SCOPE = 'console:admin';

export function consoleResource(publicUrl: string, tenantSlug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/tenants/${tenantSlug}`;
}

/** The tenant slug a console resource names, or undefined when it is not one. */
export function tenantOfConsoleResource(publicUrl: string, resource: string): string | undefined {
  const base = `${publicUrl.replace(/\/+$/, '')}/v1/tenants/`;
  if (!resource.startsWith(base)) return undefined;
  const slug = resource.slice(base.length);
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(slug) ? slug : undefined;
}

/**
 * What a person is shown for an OAuth client: its registered name, else the host of a Client ID Metadata
 * Document URL (ChatGPT's client ids), else nothing (the caller decides what stands in).
 */
export function clientDisplayName(clientId: string, clientName: unknown): string | undefined {
  if (typeof clientName === 'string' && clientName.trim()) return clientName.trim();
  try {
    const url = new URL(clientId);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.host : undefined;
  } catch {
    return undefined;
  }
}
