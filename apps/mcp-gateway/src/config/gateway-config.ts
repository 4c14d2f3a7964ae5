export interface GatewayConfig {
  /** The authorization server that Protected Resource Metadata points clients at. */
  readonly issuer: string;
  readonly maxRequestBytes: number;
  /** Where the gateway fetches the issuer's public keys (an in-cluster URL in Kubernetes). */
  readonly jwksUrl: string;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(env: NodeJS.ProcessEnv, publicUrl: string): GatewayConfig {
  const issuer = (env.AUTH_ISSUER ?? publicUrl).replace(/\/+$/, '');
  try {
    new URL(issuer);
  } catch {
    throw new Error(`configuration: AUTH_ISSUER is not a URL: "${issuer}"`);
  }
  const maxRequestBytes = Number(env.MCP_MAX_REQUEST_BYTES ?? 1_048_576);
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1024) {
    throw new Error('configuration: MCP_MAX_REQUEST_BYTES must be an integer ≥ 1024');
  }
  const jwksUrl = env.AUTH_JWKS_URL ?? `${issuer}/oauth/jwks`;
  try {
    new URL(jwksUrl);
  } catch {
    throw new Error(`configuration: AUTH_JWKS_URL is not a URL: "${jwksUrl}"`);
  }
  return { issuer, maxRequestBytes, jwksUrl };
}
