import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import type Provider from 'oidc-provider';
import { FEDERATION_CALLBACK_PATH, findUnsafeText, publicHttpsUrlProblem } from '@tessera/domain';
import { AuditRepository, IdentityProviderRecord, IdentityProviderRepository, OidcModelRepository, UserRepository } from '@tessera/persistence';
import { OutboundHttp, PLATFORM_CONFIG, type PlatformConfig, requiredEncryptionKey, SecretBox } from '@tessera/server';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth-config';
import { isConsoleTarget, type SignInTarget } from '../oidc/workspace-directory';
import { renderErrorPage } from './pages';

const STATE_KIND = 'FederationState';
const STATE_TTL_SECONDS = 600;
const DISCOVERY_TTL_MS = 10 * 60_000;

interface FederationState {
  uid: string;
  tenantId: string;
  /** Absent when signing in to the admin console: nobody is provisioned, only existing users sign in. */
  workspaceId?: string;
  verifier: string;
  nonce: string;
  accountId?: string;
}

type Page = { status: number; html: string } | undefined;

/**
 * Sign-in through a tenant's own OpenID Connect IdP (openid-client as the relying party): authorization
 * code with PKCE, state and nonce; the verified email finds (or, if allowed, creates) the tenant's user;
 * the IdP's groups replace the user's groups in the workspace, so they flow into access tokens.
 */
@Injectable()
export class FederationService {
  private readonly logger = new Logger('Federation');
  private readonly box: SecretBox;
  private readonly discovered = new Map<string, { config: oidc.Configuration; at: number }>();

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly providers: IdentityProviderRepository,
    private readonly models: OidcModelRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly outbound: OutboundHttp,
  ) {
    this.box = new SecretBox(requiredEncryptionKey(platform), platform.previousEncryptionKeys);
  }

  identityProviderOf(workspace: SignInTarget): Promise<IdentityProviderRecord | null> {
    return this.providers.findByTenant(workspace.tenantId);
  }

  /** Sends the browser to the tenant's IdP. */
  async start(uid: string, workspace: SignInTarget, res: Response): Promise<Page> {
    const idp = await this.providers.findByTenant(workspace.tenantId);
    if (!idp) return { status: 400, html: renderErrorPage('invalid_request', 'This organization has no single sign-on configured.') };
    let configuration: oidc.Configuration;
    try {
      configuration = await this.configuration(idp);
    } catch (error) {
      this.logger.warn(`identity provider of tenant ${workspace.tenantSlug} unusable: ${(error as Error).message}`);
      return { status: 502, html: renderErrorPage('temporarily_unavailable', "Your organization's sign-in service could not be reached.") };
    }
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const workspaceId = isConsoleTarget(workspace) ? undefined : workspace.workspaceId;
    const record: FederationState = { uid, tenantId: workspace.tenantId, workspaceId, verifier, nonce };
    await this.models.upsert(STATE_KIND, state, { ...record }, STATE_TTL_SECONDS);
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.callbackUrl(),
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.redirect(303, url.href);
    return undefined;
  }

  /** The IdP's redirect back: verifies everything, records who signed in, returns to the interaction. */
  async callback(req: Request, res: Response): Promise<Page> {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const row = state ? await this.models.find(STATE_KIND, state) : undefined;
    if (!row) return { status: 400, html: renderErrorPage('invalid_request', 'This sign-in attempt has expired. Go back and try again.') };
    const record = row.payload as unknown as FederationState;
    if (typeof req.query.error === 'string') {
      await this.models.destroy(STATE_KIND, state);
      return { status: 400, html: renderErrorPage('access_denied', 'Your organization\'s sign-in did not complete.') };
    }
    const idp = await this.providers.findByTenant(record.tenantId);
    if (!idp) return { status: 400, html: renderErrorPage('invalid_request', 'This organization has no single sign-on configured.') };
    let claims: oidc.IDToken;
    try {
      const tokens = await oidc.authorizationCodeGrant(await this.configuration(idp), new URL(req.originalUrl, this.platform.publicUrl), {
        pkceCodeVerifier: record.verifier,
        expectedState: state,
        expectedNonce: record.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims()!;
    } catch (error) {
      this.logger.warn(`federated sign-in failed: ${(error as Error).message}`);
      await this.models.destroy(STATE_KIND, state);
      return { status: 400, html: renderErrorPage('access_denied', 'Your organization\'s sign-in could not be verified.') };
    }
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email || claims.email_verified === false) {
      return { status: 403, html: renderErrorPage('access_denied', 'Your organization did not share a verified email address.') };
    }
    const rawGroups = claims[idp.groupsClaim];
    const groups = Array.isArray(rawGroups) ? [...new Set(rawGroups.filter((g): g is string => typeof g === 'string' && g.length <= 128))].sort() : [];
    // The IdP is the tenant's; what it says is input like any other (the platform's one rule on text).
    if (findUnsafeText({ email, name: claims.name, groups })) {
      return { status: 400, html: renderErrorPage('invalid_request', 'Your organization\'s sign-in returned a name, email or group that is not valid text.') };
    }
    const existing = await this.users.findByEmail(record.tenantId, email);
    // Deactivated through SCIM: the IdP may still sign them in, Tessera does not (nor provisions them again).
    if (existing && !existing.active) {
      return { status: 403, html: renderErrorPage('access_denied', 'Your account is deactivated. Ask your administrator.') };
    }
    if (record.workspaceId === undefined) return this.signedInToConsole(record, state, existing?.id, idp.issuer, res);
    const member = existing ? (await this.users.groupsIn(record.workspaceId, existing.id)) !== null : false;
    if (!member && !idp.autoProvision) {
      return { status: 403, html: renderErrorPage('access_denied', 'Your account has no access to this workspace. Ask your administrator.') };
    }
    const name = typeof claims.name === 'string' ? claims.name.slice(0, 200) : email;
    const { user } = await this.users.upsertMember(record.tenantId, record.workspaceId, { email, name: existing?.name ?? name, passwordHash: null, groups });
    await this.models.upsert(STATE_KIND, state, { ...record, accountId: user.id }, STATE_TTL_SECONDS);
    await this.audit.append({
      tenantId: record.tenantId,
      workspaceId: record.workspaceId,
      actorKind: 'user',
      actorId: user.id,
      action: 'oauth.login',
      outcome: 'success',
      details: { method: 'federated', issuer: idp.issuer, groups },
    });
    // Back under the interaction's path, where its cookie is sent.
    res.redirect(303, `/oauth/interaction/${encodeURIComponent(record.uid)}/federated?state=${encodeURIComponent(state)}`);
    return undefined;
  }

  /** Finishes the interaction as the user the IdP signed in. */
  async complete(provider: Provider, uid: string, req: Request, res: Response): Promise<Page> {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const row = state ? await this.models.find(STATE_KIND, state) : undefined;
    const record = row?.payload as unknown as FederationState | undefined;
    if (!record?.accountId || record.uid !== uid) {
      return { status: 400, html: renderErrorPage('invalid_request', 'This sign-in attempt has expired. Go back and try again.') };
    }
    await this.models.destroy(STATE_KIND, state);
    await provider.interactionFinished(req, res, { login: { accountId: record.accountId, amr: ['fed'] } }, { mergeWithLastSubmission: false });
    return undefined;
  }

  /**
   * The admin console provisions nobody: the IdP's user must already be a user of the tenant. Whether they
   * are its admin is checked when the console's grant is made (console-client.ts), as for passwords.
   */
  private async signedInToConsole(record: FederationState, state: string, userId: string | undefined, issuer: string, res: Response): Promise<Page> {
    if (!userId) return { status: 403, html: renderErrorPage('access_denied', 'Your account is not an admin of this organization.') };
    await this.models.upsert(STATE_KIND, state, { ...record, accountId: userId }, STATE_TTL_SECONDS);
    await this.audit.append({ tenantId: record.tenantId, workspaceId: null, actorKind: 'user', actorId: userId, action: 'oauth.login', outcome: 'success', details: { method: 'federated', issuer, console: true } });
    res.redirect(303, `/oauth/interaction/${encodeURIComponent(record.uid)}/federated?state=${encodeURIComponent(state)}`);
    return undefined;
  }

  private callbackUrl(): string {
    return `${this.platform.publicUrl}${FEDERATION_CALLBACK_PATH}`;
  }

  private async configuration(idp: IdentityProviderRecord): Promise<oidc.Configuration> {
    const key = `${idp.tenantId}|${idp.issuer}|${idp.clientId}|${idp.clientSecretSealed}`;
    const cached = this.discovered.get(key);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const insecure = idp.issuer.startsWith('http://');
    if (insecure && !this.config.devAllowLoopbackMetadata) throw new Error('identity provider issuer must use https');
    // The issuer is tenant-supplied: never let it point the authorization server at internal addresses.
    const problem = insecure ? undefined : publicHttpsUrlProblem(idp.issuer, this.config.devAllowLoopbackMetadata, 'identity provider issuers');
    if (problem) throw new Error(problem);
    // Discovery and everything after it (JWKS, token endpoint) go through the guarded fetch: whatever the
    // issuer's name or its metadata point at, no connection reaches a private or special-use address.
    const options: oidc.DiscoveryRequestOptions = { [oidc.customFetch]: this.outbound.fetch, timeout: 10 };
    const configuration = await oidc.discovery(
      new URL(idp.issuer),
      idp.clientId,
      undefined,
      oidc.ClientSecretBasic(this.box.open(idp.clientSecretSealed)),
      insecure ? { ...options, execute: [oidc.allowInsecureRequests] } : options,
    );
    this.discovered.set(key, { config: configuration, at: Date.now() });
    return configuration;
  }
}
