import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import * as oidc from 'openid-client';
import { CONSOLE_CALLBACK_PATH, CONSOLE_CLIENT_ID, CONSOLE_SCOPE, consoleResource, TesseraError } from '@tessera/domain';
import { AuditRepository, OidcModelRepository, TenantAdminRepository, TenantRepository, UserRepository } from '@tessera/persistence';
import { consoleClientSecret, PLATFORM_CONFIG, type PlatformConfig, requiredEncryptionKey, SecretBox } from '@tessera/server';
import { ConsoleSessionService } from '../api-auth/console-session.service';
import { CONSOLE_CONFIG, type ConsoleConfig } from './console.config';

const PENDING_KIND = 'ConsoleLogin';
const PENDING_TTL_SECONDS = 600;
export const PENDING_COOKIE = 'tessera_console_login';

interface PendingLogin {
  tenantSlug: string;
  verifier: string;
  nonce: string;
}

/** Why a sign-in failed, as a code the console's sign-in form turns into its message (no text travels in the URL). */
export type SignInFailure = 'not_this_browser' | 'expired' | 'not_completed' | 'not_verified' | 'not_admin';

export type SignInOutcome = { ok: true; setCookies: string[] } | { ok: false; reason: SignInFailure };

/**
 * The console's relying-party side: authorization code + PKCE against Tessera's own authorization server
 * (openid-client), code exchanged here with the console's client secret, tokens kept server-side.
 */
@Injectable()
export class ConsoleSignInService {
  private readonly logger = new Logger('Console');
  private readonly client: oidc.Configuration;
  private readonly box: SecretBox;

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(PLATFORM_CONFIG) platform: PlatformConfig,
    private readonly pending: OidcModelRepository,
    private readonly sessions: ConsoleSessionService,
    private readonly tenants: TenantRepository,
    private readonly users: UserRepository,
    private readonly admins: TenantAdminRepository,
    private readonly audit: AuditRepository,
  ) {
    const secret = consoleClientSecret(config.adminToken);
    this.client = new oidc.Configuration(
      {
        issuer: config.issuer,
        authorization_endpoint: `${config.issuer}/oauth/authorize`,
        token_endpoint: `${config.authUrl}/oauth/token`,
        revocation_endpoint: `${config.authUrl}/oauth/revoke`,
        authorization_response_iss_parameter_supported: true,
      },
      CONSOLE_CLIENT_ID,
      // The authorization server signs ID tokens with ES256 only (apps/auth/src/oidc/signing-keys.ts).
      { id_token_signed_response_alg: 'ES256' },
      oidc.ClientSecretBasic(secret),
    );
    if (config.authUrl.startsWith('http://')) oidc.allowInsecureRequests(this.client);
    this.box = new SecretBox(requiredEncryptionKey(platform), platform.previousEncryptionKeys);
  }

  /** Where to send the browser to sign in to this tenant's console, and the cookie binding the attempt to it. */
  async start(tenantSlug: string): Promise<{ url: string; setCookie: string }> {
    if (!(await this.tenants.findBySlug(tenantSlug))) throw TesseraError.notFound('tenant');
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await this.pending.upsert(PENDING_KIND, state, { tenantSlug, verifier, nonce } satisfies PendingLogin, PENDING_TTL_SECONDS);
    const url = oidc.buildAuthorizationUrl(this.client, {
      redirect_uri: this.redirectUri(),
      scope: `openid email profile ${CONSOLE_SCOPE}`,
      resource: consoleResource(this.config.publicUrl, tenantSlug),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      // Every console sign-in asks for the password again, whoever is signed in to the authorization server.
      prompt: 'login',
      state,
      nonce,
    });
    const secure = this.config.publicUrl.startsWith('https://') ? '; Secure' : '';
    return { url: url.href, setCookie: `${PENDING_COOKIE}=${state}; Path=${CONSOLE_CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=${PENDING_TTL_SECONDS}${secure}` };
  }

  /** The authorization server's redirect back: only in the browser that started, for a tenant admin. */
  async callback(req: Request, browserState: string | undefined): Promise<SignInOutcome> {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    if (!state || state !== browserState) return { ok: false, reason: 'not_this_browser' };
    const row = await this.pending.find(PENDING_KIND, state);
    await this.pending.destroy(PENDING_KIND, state);
    if (!row) return { ok: false, reason: 'expired' };
    const pending = row.payload as unknown as PendingLogin;
    if (typeof req.query.error === 'string') return { ok: false, reason: 'not_completed' };
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      tokens = await oidc.authorizationCodeGrant(this.client, new URL(req.originalUrl, this.config.publicUrl), {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      this.logger.warn(`console sign-in failed: ${(error as Error).message}`);
      return { ok: false, reason: 'not_verified' };
    }
    const tenant = await this.tenants.findBySlug(pending.tenantSlug);
    const user = await this.users.findById(String(tokens.claims()?.sub ?? ''));
    if (!tenant || !user || user.tenantId !== tenant.id || !(await this.admins.isAdmin(tenant.id, user.email))) {
      return { ok: false, reason: 'not_admin' };
    }
    const cookie = await this.sessions.create(tenant.id, user.id, this.box.seal(tokens.access_token));
    await this.audit.append({ tenantId: tenant.id, workspaceId: null, actorKind: 'user', actorId: user.id, action: 'console.login', outcome: 'success', details: {} });
    return { ok: true, setCookies: [cookie, `${PENDING_COOKIE}=; Path=${CONSOLE_CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=0`] };
  }

  /** Ends the session here and revokes its access token at the authorization server. */
  async signOut(req: Request): Promise<string> {
    const { ended, clearCookie } = await this.sessions.end(req);
    if (ended?.accessTokenSealed) {
      await oidc.tokenRevocation(this.client, this.box.open(ended.accessTokenSealed)).catch((error: Error) => this.logger.warn(`console token revocation failed: ${error.message}`));
    }
    if (ended) await this.audit.append({ tenantId: ended.tenantId, workspaceId: null, actorKind: 'user', actorId: ended.userId, action: 'console.logout', outcome: 'success', details: {} });
    return clearCookie;
  }

  private redirectUri(): string {
    return `${this.config.publicUrl}${CONSOLE_CALLBACK_PATH}`;
  }
}
