import { ClientPolicy, DEFAULT_CLIENT_POLICY, redirectUriAllowed, WorkspaceContext } from '@tessera/domain';

/** The platform-wide rule for registering a client at all: ChatGPT's redirects, loopback, and configured extras. */
export function platformRedirectPolicy(extraRedirectUris: readonly string[]): Pick<ClientPolicy, 'redirectUris' | 'allowLoopbackRedirects'> {
  return { redirectUris: [...DEFAULT_CLIENT_POLICY.redirectUris, ...extraRedirectUris], allowLoopbackRedirects: true };
}

/** A workspace's own rule, from its settings, on top of the platform's. */
export function workspaceClientPolicy(workspace: WorkspaceContext, extraRedirectUris: readonly string[]): ClientPolicy {
  const configured = (workspace.settings as { clientPolicy?: Partial<ClientPolicy> }).clientPolicy ?? {};
  return {
    ...DEFAULT_CLIENT_POLICY,
    ...configured,
    redirectUris: configured.redirectUris ?? [...DEFAULT_CLIENT_POLICY.redirectUris, ...extraRedirectUris],
  };
}

export function firstDisallowedRedirect(
  redirectUris: readonly string[],
  policy: Pick<ClientPolicy, 'redirectUris' | 'allowLoopbackRedirects'>,
): string | undefined {
  return redirectUris.find((uri) => !redirectUriAllowed(uri, policy));
}

/** What a metadata document URL must look like before we fetch it (oidc-provider also blocks private IPs at connect time). */
export function metadataUrlProblem(clientId: string, allowLoopback: boolean): string | undefined {
  return publicHttpsUrlProblem(clientId, allowLoopback, 'client metadata document URLs');
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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (allowLoopback && ['127.0.0.1', '::1', 'localhost'].includes(host)) return undefined;
  if (url.port) return `${what} must use the default https port`;
  const literalIp = /^[\d.]+$/.test(host) || host.includes(':');
  const localName = host === 'localhost' || /\.(localhost|local|internal|lan|home|corp)$/.test(host) || !host.includes('.');
  if (literalIp || localName) return `${what} must name a public host`;
  return undefined;
}
