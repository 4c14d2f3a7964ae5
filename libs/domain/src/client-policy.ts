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
const DOTS_ONLY = /^\.+$/;

export function isLoopbackRedirectUri(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && !url.hash && !url.username;
}

/**
 * Exact patterns match the same string. A `…/*` pattern matches a URI that is already in normal form (the
 * URL parser would not change it: no `.`/`..` segments, backslashes, upper-case host or default port),
 * on the pattern's origin, with no user info, query or fragment, whose path is the pattern's plus exactly
 * one segment of unreserved characters that is not made of dots (so no `%2F`, no `..`, no extra segment).
 */
export function matchesRedirectPattern(uri: string, pattern: string): boolean {
  if (!pattern.endsWith('/*')) return uri === pattern;
  const base = parseUrl(pattern.slice(0, -1));
  const url = parseUrl(uri);
  if (!base || !url || uri !== `${url.origin}${url.pathname}` || url.origin !== base.origin) return false;
  if (!url.pathname.startsWith(base.pathname)) return false;
  const segment = url.pathname.slice(base.pathname.length);
  return SEGMENT.test(segment) && !DOTS_ONLY.test(segment);
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
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

/** How an OAuth client came to be known, which a workspace's policy allows or forbids. */
export type ClientKind = 'metadata-document' | 'dynamic' | 'preregistered';

export const CLIENT_KINDS: readonly ClientKind[] = ['metadata-document', 'dynamic', 'preregistered'];

/**
 * Why this workspace refuses a client of this kind now, or undefined when it accepts it: the one rule,
 * applied by the authorization server to every authorization and token request and by the gateway to
 * every call with an access token (so a policy change also ends tokens already issued). A pre-registered
 * client serves the one workspace it was registered for, whatever the policy says of other kinds.
 */
export function clientKindRefusal(kind: ClientKind, preregisteredFor: string | undefined, workspace: { readonly workspaceId: string; readonly settings: object }): string | undefined {
  if (kind === 'preregistered') return preregisteredFor === workspace.workspaceId ? undefined : 'this client is registered for another workspace';
  const configured = (workspace.settings as { clientPolicy?: Partial<ClientPolicy> }).clientPolicy ?? {};
  if (kind === 'metadata-document' && !(configured.allowMetadataDocuments ?? DEFAULT_CLIENT_POLICY.allowMetadataDocuments)) {
    return 'this workspace does not accept clients identified by metadata documents';
  }
  if (kind === 'dynamic' && !(configured.allowDynamicRegistration ?? DEFAULT_CLIENT_POLICY.allowDynamicRegistration)) {
    return 'this workspace does not accept dynamically registered clients';
  }
  return undefined;
}
