import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import type Provider from 'oidc-provider';
import { AuditRepository, IdentityProviderRecord, IdentityProviderRepository, OidcModelRepository, UserRepository } from '@tessera/persistence';
import { PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { isConsoleTarget, type SignInTarget } from '../oidc/workspace-directory';
import { FEDERATION_STATE_KIND as STATE_KIND, FEDERATION_STATE_TTL_SECONDS as STATE_TTL_SECONDS, type FederationState } from './federation-state';
import { FederationTestService } from './federation-test.service';
import { idpClaims } from './idp-claims';
import { IdpDiscovery } from './idp-discovery';
import { renderErrorPage } from './pages';

type Page = { status: number; html: string } | undefined;

/**
 * Sign-in through a tenant's own OpenID Connect IdP (openid-client as the relying party): authorization
 * code with PKCE, state and nonce; the verified email finds (or, if allowed, creates) the tenant's user;
 * the IdP's groups replace the user's groups in the workspace, so they flow into access tokens.
 */
@Injectable()
export class FederationService {
  private readonly logger = new Logger('Federation');

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly providers: IdentityProviderRepository,
    private readonly models: OidcModelRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly discovery: IdpDiscovery,
    private readonly tests: FederationTestService,
  ) {}

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
    const url = await this.discovery.authorizationUrl(configuration, { state, verifier, nonce });
    res.redirect(303, url.href);
    return undefined;
  }

  /** The IdP's redirect back: verifies everything, records who signed in, returns to the interaction. */
  async callback(req: Request, res: Response): Promise<Page> {
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const row = state ? await this.models.find(STATE_KIND, state) : undefined;
    if (!row) return { status: 400, html: renderErrorPage('invalid_request', 'This sign-in attempt has expired. Go back and try again.') };
    const record = row.payload as unknown as FederationState;
    if (record.testId) return this.tests.finish(record, state, req, res);
    if (typeof req.query.error === 'string') {
      await this.models.destroy(STATE_KIND, state);
      return { status: 400, html: renderErrorPage('access_denied', 'Your organization\'s sign-in did not complete.') };
    }
    const idp = await this.providers.findByTenant(record.tenantId);
    if (!idp) return { status: 400, html: renderErrorPage('invalid_request', 'This organization has no single sign-on configured.') };
    let claims: oidc.IDToken;
    try {
      claims = await this.discovery.idTokenClaims(await this.configuration(idp), req.originalUrl, { state, verifier: record.verifier, nonce: record.nonce });
    } catch (error) {
      this.logger.warn(`federated sign-in failed: ${(error as Error).message}`);
      await this.models.destroy(STATE_KIND, state);
      return { status: 400, html: renderErrorPage('access_denied', 'Your organization\'s sign-in could not be verified.') };
    }
    const mapped = idpClaims(claims, idp.groupsClaim);
    if (!mapped.ok && mapped.code === 'no_verified_email') {
      return { status: 403, html: renderErrorPage('access_denied', 'Your organization did not share a verified email address.') };
    }
    if (!mapped.ok) {
      return { status: 400, html: renderErrorPage('invalid_request', 'Your organization\'s sign-in returned a name, email or group that is not valid text.') };
    }
    const { email, groups } = mapped;
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
    const name = mapped.name ?? email;
    const { user, removed } = await this.users.provisionMember(record.tenantId, record.workspaceId, { email, name: existing?.name ?? name, passwordHash: null, groups });
    // Removed by a tenant admin: not provisioned again until an admin adds them back (a SCIM group the
    // workspace's membership rule names still admits them, as it admits anyone in it).
    if (removed && !member) {
      await this.audit.append({
        tenantId: record.tenantId, workspaceId: record.workspaceId, actorKind: 'user', actorId: user.id, action: 'oauth.login', outcome: 'failure',
        details: { method: 'federated', issuer: idp.issuer, reason: 'removed_by_admin' },
      });
      return { status: 403, html: renderErrorPage('access_denied', 'An administrator removed your account from this workspace. Ask them to add you again.') };
    }
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

  private configuration(idp: IdentityProviderRecord): Promise<oidc.Configuration> {
    return this.discovery.configuration(idp);
  }
}
