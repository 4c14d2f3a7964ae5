/** Slugs name tenants and workspaces in URLs: lowercase, readable, stable. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Document ids are chosen by the caller and only meaningful inside their workspace. */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export const SLUG_RULE = 'lowercase letters, digits and inner hyphens, 1–63 characters';
export const DOCUMENT_ID_RULE = 'letters, digits and . _ : @ -, starting with a letter or digit, at most 128 characters';

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG_PATTERN.test(value);
}

export function isDocumentId(value: unknown): value is string {
  return typeof value === 'string' && DOCUMENT_ID_PATTERN.test(value);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids we generate (tokens, users) are UUIDs; anything else cannot name one, so it is not looked up. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** What a URL we will fetch on someone's say-so must look like: https, a public host name, the default port. */
export function publicHttpsUrlProblem(value: string, allowLoopback: boolean, what: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${what} must be URLs`;
  }
  if (url.protocol !== 'https:') return `${what} must use https`;
  // A trailing dot names the same host (`localhost.`); Kubernetes service names end in `.svc`.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  if (allowLoopback && ['127.0.0.1', '::1', 'localhost'].includes(host)) return undefined;
  if (url.port) return `${what} must use the default https port`;
  const literalIp = /^[\d.]+$/.test(host) || host.includes(':');
  const localName = host === 'localhost' || /\.(localhost|local|internal|lan|home|corp|svc)$/.test(host) || !host.includes('.');
  if (literalIp || localName) return `${what} must name a public host`;
  return undefined;
}
