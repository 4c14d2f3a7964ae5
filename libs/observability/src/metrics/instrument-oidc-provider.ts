import type { OAuthEndpoint } from './metric-definitions';
import type { TesseraMetrics } from './tessera-metrics';

/** The part of an oidc-provider instance this needs (its EventEmitter `on`). */
export interface OidcEventSource {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- oidc-provider's listeners take (ctx, …) of many shapes
  on(event: string, listener: (...args: any[]) => void): unknown;
}

interface OidcError {
  readonly error?: string;
  readonly error_description?: string;
}
interface OidcContext {
  readonly oidc?: { readonly params?: { readonly grant_type?: unknown } };
}

const ERROR_EVENTS: ReadonlyArray<readonly [string, OAuthEndpoint]> = [
  ['authorization.error', 'authorization'],
  ['grant.error', 'token'],
  ['registration_create.error', 'registration'],
  ['introspection.error', 'introspection'],
  ['revocation.error', 'revocation'],
  ['server_error', 'server'],
];

/** oidc-provider's words when a rotated refresh token comes back (lib/actions/grants/refresh_token.js). */
const REFRESH_REUSE = 'refresh token already used';

/**
 * Counts oidc-provider's events as Tessera OAuth metrics: DCR registrations, authorizations, tokens by
 * grant type, errors by endpoint and code, and refresh-token reuse (the provider revokes the grant).
 * Call once, right after `new Provider(...)`.
 */
export function instrumentOidcProvider(provider: OidcEventSource, metrics: TesseraMetrics): void {
  const on = (event: string, listener: (...args: unknown[]) => void) => provider.on(event, listener);
  on('registration_create.success', () => metrics.oauthEvent({ kind: 'registration', method: 'dcr' }));
  on('authorization.success', () => metrics.oauthEvent({ kind: 'authorization', outcome: 'granted' }));
  on('grant.success', (ctx) => {
    const grantType = (ctx as OidcContext | undefined)?.oidc?.params?.grant_type;
    metrics.oauthEvent({ kind: 'token', grantType: typeof grantType === 'string' ? grantType : 'unknown' });
  });
  for (const [event, endpoint] of ERROR_EVENTS) {
    on(event, (_ctx, err) => {
      const error = err as OidcError | undefined;
      const code = typeof error?.error === 'string' ? error.error : 'server_error';
      metrics.oauthEvent({ kind: 'error', endpoint, error: code });
      if (endpoint === 'authorization') {
        metrics.oauthEvent({ kind: 'authorization', outcome: code === 'access_denied' ? 'denied' : 'error' });
      }
      if (endpoint === 'token' && code === 'invalid_grant' && error?.error_description === REFRESH_REUSE) {
        metrics.oauthEvent({ kind: 'refresh_token_reuse' });
      }
    });
  }
}
