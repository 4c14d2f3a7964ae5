import { createHmac } from 'node:crypto';

export interface AuthConfig {
  /** The issuer identifier: PUBLIC_URL unless AUTH_ISSUER says otherwise. */
  readonly issuer: string;
  /** Keys for signed cookies (newest first, for rotation). */
  readonly cookieKeys: string[];
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** Extra redirect URIs (or `…/*` patterns) every workspace may allow, beyond ChatGPT's and loopback. */
  readonly extraRedirectUris: string[];
  /**
   * Development and tests only: accept loopback (http or https) client metadata URLs and IdP issuers, and
   * let outbound requests reach loopback addresses (never private or link-local ones). Never enable in
   * production; the Helm chart's schema refuses it.
   */
  readonly devAllowLoopbackMetadata: boolean;
  /** PEM of an extra CA to trust for outbound requests (tests with a local HTTPS server). */
  readonly metadataFetchCa?: string;
  readonly secureCookies: boolean;
  /** Requests per minute per client address at the token and registration endpoints. */
  readonly tokenRatePerMinute: number;
  readonly registrationRatePerMinute: number;
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export function loadAuthConfig(env: NodeJS.ProcessEnv, publicUrl: string, adminToken: string): AuthConfig {
  const issuer = (env.AUTH_ISSUER ?? publicUrl).replace(/\/+$/, '');
  const configuredKeys = (env.AUTH_COOKIE_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (configuredKeys.some((k) => k.length < 32)) throw new Error('configuration: AUTH_COOKIE_KEYS entries must be at least 32 characters');
  // Without configured keys, derive one from the admin token so restarts keep sessions valid.
  const cookieKeys = configuredKeys.length ? configuredKeys : [createHmac('sha256', adminToken).update('tessera:cookie-key:v1').digest('base64url')];
  return {
    issuer,
    cookieKeys,
    accessTokenTtlSeconds: positive(env.AUTH_ACCESS_TOKEN_TTL_SECONDS, 900, 'AUTH_ACCESS_TOKEN_TTL_SECONDS'),
    refreshTokenTtlSeconds: positive(env.AUTH_REFRESH_TOKEN_TTL_SECONDS, 30 * 86_400, 'AUTH_REFRESH_TOKEN_TTL_SECONDS'),
    extraRedirectUris: (env.OAUTH_EXTRA_REDIRECT_URIS ?? '').split(',').map((u) => u.trim()).filter(Boolean),
    devAllowLoopbackMetadata: env.TESSERA_DEV_ALLOW_LOOPBACK_METADATA === 'true',
    metadataFetchCa: env.TESSERA_DEV_METADATA_CA_PEM || undefined,
    secureCookies: issuer.startsWith('https://'),
    tokenRatePerMinute: positive(env.AUTH_TOKEN_RATE_PER_MINUTE, 120, 'AUTH_TOKEN_RATE_PER_MINUTE'),
    registrationRatePerMinute: positive(env.AUTH_REGISTRATION_RATE_PER_MINUTE, 30, 'AUTH_REGISTRATION_RATE_PER_MINUTE'),
  };
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`configuration: ${name} must be a positive integer`);
  return n;
}
