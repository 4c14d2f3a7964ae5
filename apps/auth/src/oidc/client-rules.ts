import { ClientPolicy, DEFAULT_CLIENT_POLICY, publicHttpsUrlProblem, redirectUriAllowed, WorkspaceContext } from '@tessera/domain';

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

