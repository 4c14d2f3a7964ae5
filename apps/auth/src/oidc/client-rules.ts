import { ClientPolicy, DEFAULT_CLIENT_POLICY, isLoopbackRedirectUri, publicHttpsUrlProblem, redirectUriAllowed, WorkspaceContext } from '@tessera/domain';

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


/**
 * The application type (OpenID Dynamic Client Registration; MCP 2026-07-28, SEP-837) that a
 * client's redirect URIs call for: `native` when every one is an RFC 8252 loopback redirect, `web`
 * when none is. A client whose redirect URIs mix both is neither.
 */
export function applicationTypeFor(redirectUris: readonly string[]): 'native' | 'web' | 'mixed' {
  const loopback = redirectUris.filter((uri) => isLoopbackRedirectUri(uri)).length;
  if (loopback === 0) return 'web';
  return loopback === redirectUris.length ? 'native' : 'mixed';
}

/**
 * What is wrong with a registration's `application_type` (undefined when it may register): a
 * declared type must be the one its redirect URIs call for. A registration without one (2025-era
 * clients send none) registers as before, with oidc-provider's default (`web`): inferring `native`
 * would make oidc-provider ask for consent on every authorization of every local client.
 */
export function applicationTypeProblem(declared: unknown, redirectUris: readonly string[]): string | undefined {
  if (declared === undefined) return undefined;
  const expected = applicationTypeFor(redirectUris);
  if (expected === 'mixed') return `application_type "${String(declared).slice(0, 20)}" cannot have both loopback and web redirect URIs; register one client for each`;
  if (declared === expected) return undefined;
  return expected === 'native'
    ? 'application_type "web" cannot use loopback redirect URIs; loopback (RFC 8252) redirects are for application_type "native"'
    : 'application_type "native" needs loopback redirect URIs (http://127.0.0.1, http://[::1] or http://localhost, RFC 8252)';
}
