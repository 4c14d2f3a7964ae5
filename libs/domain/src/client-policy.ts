/**
 * Which OAuth clients may connect to a workspace and where they may send users back to.
 * Patterns are exact URIs, or end in `/*` for exactly one more path segment (ChatGPT's per-connector id).
 */
export interface ClientPolicy {
  readonly redirectUris: readonly string[];
  /** RFC 8252 loopback redirects (http://127.0.0.1:{any port}/…, http://[::1]…, http://localhost…) for local clients. */
  readonly allowLoopbackRedirects: boolean;
  readonly allowDynamicRegistration: boolean;
  readonly allowMetadataDocuments: boolean;
}

export const CHATGPT_REDIRECT_URIS = [
  'https://chatgpt.com/connector_platform_oauth_redirect',
  'https://chatgpt.com/connector/oauth/*',
] as const;

export const DEFAULT_CLIENT_POLICY: ClientPolicy = {
  redirectUris: CHATGPT_REDIRECT_URIS,
  allowLoopbackRedirects: true,
  allowDynamicRegistration: true,
  allowMetadataDocuments: true,
};

const SEGMENT = /^[A-Za-z0-9._~-]{1,128}$/;

export function isLoopbackRedirectUri(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && !url.hash && !url.username;
}

export function matchesRedirectPattern(uri: string, pattern: string): boolean {
  if (!pattern.endsWith('/*')) return uri === pattern;
  const prefix = pattern.slice(0, -1);
  if (!uri.startsWith(prefix)) return false;
  return SEGMENT.test(uri.slice(prefix.length));
}

export function redirectUriAllowed(uri: string, policy: Pick<ClientPolicy, 'redirectUris' | 'allowLoopbackRedirects'>): boolean {
  if (policy.allowLoopbackRedirects && isLoopbackRedirectUri(uri)) return true;
  return policy.redirectUris.some((pattern) => matchesRedirectPattern(uri, pattern));
}

/** A pattern a tenant admin may configure: https (or loopback http), no fragment, `/*` only at the end. */
export function isValidRedirectPattern(pattern: string): boolean {
  const concrete = pattern.endsWith('/*') ? `${pattern.slice(0, -1)}x` : pattern;
  if (concrete.includes('*')) return false;
  try {
    const url = new URL(concrete);
    return (url.protocol === 'https:' || isLoopbackRedirectUri(concrete)) && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** `software_id` of clients a tenant admin pre-registered for one workspace; no other client may claim it. */
export const PREREGISTERED_SOFTWARE_ID_PREFIX = 'tessera:preregistered:';

export function preregisteredWorkspaceId(softwareId: unknown): string | undefined {
  return typeof softwareId === 'string' && softwareId.startsWith(PREREGISTERED_SOFTWARE_ID_PREFIX)
    ? softwareId.slice(PREREGISTERED_SOFTWARE_ID_PREFIX.length)
    : undefined;
}
