import { requiredAdminToken, type PlatformConfig } from '@tessera/server';

export interface ConsoleConfig {
  /** The authorization server's issuer (AUTH_ISSUER, else PUBLIC_URL): where the browser signs in. */
  readonly issuer: string;
  /** Where this backend reaches the authorization server's token and revocation endpoints (CONSOLE_AUTH_URL, else the issuer). */
  readonly authUrl: string;
  readonly publicUrl: string;
  readonly adminToken: string;
}

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

export function loadConsoleConfig(env: NodeJS.ProcessEnv, platform: PlatformConfig): ConsoleConfig {
  const issuer = (env.AUTH_ISSUER ?? platform.publicUrl).replace(/\/+$/, '');
  const authUrl = (env.CONSOLE_AUTH_URL ?? issuer).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(authUrl)) throw new Error('configuration: CONSOLE_AUTH_URL must be an http(s) URL');
  return { issuer, authUrl, publicUrl: platform.publicUrl, adminToken: requiredAdminToken(platform) };
}
