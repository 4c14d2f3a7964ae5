import { Inject, Injectable } from '@nestjs/common';
import { verify } from '@node-rs/argon2';
import type { Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import { clientDisplayName, TOOL_SCOPES } from '@tessera/domain';
import { AuditRepository } from '@tessera/persistence';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth-config';
import { isConsoleTarget, type SignInTarget, WorkspaceDirectory } from '../oidc/workspace-directory';
import { FederationService } from './federation.service';
import { LoginThrottle } from './login-throttle';
import { renderConsentPage, renderErrorPage, renderLoginPage } from './pages';

type Page = { status: number; html: string } | undefined;
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** A valid argon2id hash of a random string: verifying against it costs what a real check costs. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$W0sOYqCpe1RVNE0x0u5gZBm0xqYVYyVkqW2ykUhq0Ys';

@Injectable()
export class InteractionService {
  private readonly throttle = new LoginThrottle();

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly directory: WorkspaceDirectory,
    private readonly audit: AuditRepository,
    private readonly federation: FederationService,
  ) {}

  async page(provider: Provider, uid: string, req: Request, res: Response): Promise<Page> {
    const details = await this.details(provider, uid, req, res);
    const workspace = await this.workspaceOf(details);
    if (!workspace) return invalidResource();
    const client = await provider.Client.find(String(details.params.client_id));
    if (!client) return { status: 400, html: renderErrorPage('invalid_client', 'The application is not registered.') };
    if (details.prompt.name === 'login') return { status: 200, html: await this.loginPage(uid, workspace, clientName(client)) };
    if (details.prompt.name === 'consent') {
      const user = await this.directory.findUser(String(details.session?.accountId));
      if (!user) return { status: 400, html: renderErrorPage('login_required', 'Please sign in again.') };
      if (!(await this.isMember(workspace, user.id))) return this.refuseNonMember(provider, req, res);
      const staysConnected = (client.grantTypes ?? []).includes('refresh_token');
      return { status: 200, html: this.consentPage(uid, workspace, clientName(client), details, user.email, staysConnected) };
    }
    return { status: 400, html: renderErrorPage('unsupported_prompt', 'This sign-in step is not supported.') };
  }

  async login(provider: Provider, uid: string, body: Record<string, unknown>, req: Request, res: Response): Promise<Page> {
    const details = await this.details(provider, uid, req, res);
    if (!this.validCsrf(uid, body.csrf)) return { status: 403, html: renderErrorPage('invalid_request', 'The form expired. Reload the page and try again.') };
    if (details.prompt.name !== 'login') return { status: 400, html: renderErrorPage('invalid_request', 'You are already signed in.') };
    const workspace = await this.workspaceOf(details);
    if (!workspace) return invalidResource();
    const client = await provider.Client.find(String(details.params.client_id));
    const name = client ? clientName(client) : 'an application';
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase().slice(0, 320) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    // req.ip follows TRUST_PROXY (startHttpApp): a client cannot pick its address with X-Forwarded-For.
    const accountKey = `account:${workspace.tenantId}:${email}`;
    const throttleKeys = [accountKey, `ip:${req.ip ?? 'unknown'}`];
    const wait = this.throttle.retryAfterMs(throttleKeys);
    if (wait > 0) {
      return { status: 429, html: await this.loginPage(uid, workspace, name, email, `Too many failed attempts. Try again in ${Math.ceil(wait / 60_000)} minutes.`) };
    }

    const user = email ? await this.directory.findUserByEmail(workspace, email) : null;
    // Always verify a hash, so an unknown email takes as long as a wrong password.
    const passwordOk = await verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
    const groups = user && passwordOk ? await this.directory.admits(workspace, user.id) : null;
    if (!user || !passwordOk || groups === null) {
      this.throttle.recordFailure(throttleKeys);
      await this.record(workspace, email ? `email:${email}` : 'anonymous', 'oauth.login', 'failure', { clientId: String(details.params.client_id) });
      return { status: 401, html: await this.loginPage(uid, workspace, name, email, 'Email or password is incorrect, or this account has no access to this workspace.') };
    }
    // Only this account's failures are forgiven: signing in to one's own account must not clear the
    // address's count of failures against other accounts.
    this.throttle.recordSuccess(accountKey);
    await this.record(workspace, user.id, 'oauth.login', 'success', { clientId: String(details.params.client_id) });
    await provider.interactionFinished(req, res, { login: { accountId: user.id, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    return undefined;
  }

  /** "Continue with <your organization>": hands the browser to the tenant's IdP. */
  async startFederated(provider: Provider, uid: string, body: Record<string, unknown>, req: Request, res: Response): Promise<Page> {
    const details = await this.details(provider, uid, req, res);
    if (!this.validCsrf(uid, body.csrf)) return { status: 403, html: renderErrorPage('invalid_request', 'The form expired. Reload the page and try again.') };
    if (details.prompt.name !== 'login') return { status: 400, html: renderErrorPage('invalid_request', 'You are already signed in.') };
    const workspace = await this.workspaceOf(details);
    if (!workspace) return invalidResource();
    return this.federation.start(uid, workspace, res);
  }

  async consent(provider: Provider, uid: string, body: Record<string, unknown>, req: Request, res: Response): Promise<Page> {
    const details = await this.details(provider, uid, req, res);
    if (!this.validCsrf(uid, body.csrf)) return { status: 403, html: renderErrorPage('invalid_request', 'The form expired. Reload the page and try again.') };
    if (details.prompt.name !== 'consent' || !details.session?.accountId) {
      return { status: 400, html: renderErrorPage('invalid_request', 'This consent request is no longer valid.') };
    }
    const workspace = await this.workspaceOf(details);
    if (!workspace) return invalidResource();
    const clientId = String(details.params.client_id);
    const accountId = details.session.accountId;
    // Before anything is recorded in the workspace's tenant: the signed-in account must belong there.
    if (!(await this.isMember(workspace, accountId))) return this.refuseNonMember(provider, req, res);
    if (body.decision !== 'allow') {
      await this.record(workspace, accountId, 'oauth.consent', 'denied', { clientId });
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user denied access.' }, { mergeWithLastSubmission: false });
      return undefined;
    }
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) return { status: 400, html: renderErrorPage('invalid_request', 'This consent request is no longer valid.') };
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await this.record(workspace, accountId, 'oauth.consent', 'granted', { clientId, grantId });
    await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
    return undefined;
  }

  private async isMember(workspace: SignInTarget, accountId: string): Promise<boolean> {
    const user = await this.directory.findUser(accountId);
    return user !== null && user.tenantId === workspace.tenantId && (await this.directory.admits(workspace, user.id)) !== null;
  }

  /**
   * A session of someone who is not a member of this workspace (signed in for another workspace or
   * tenant) never sees its consent page: the client gets access_denied (with `iss`, as every
   * authorization response), and nothing is recorded in the workspace's tenant.
   */
  private async refuseNonMember(provider: Provider, req: Request, res: Response): Promise<Page> {
    const result = { error: 'access_denied', error_description: 'The signed-in account has no access to this workspace.' };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    return undefined;
  }

  private async details(provider: Provider, uid: string, req: Request, res: Response): Promise<Details> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new (await import('oidc-provider')).errors.SessionNotFound('interaction mismatch');
    return details;
  }

  private workspaceOf(details: Details): Promise<SignInTarget | null> {
    const resource = details.params.resource;
    return typeof resource === 'string' ? this.directory.signInTargetForResource(resource) : Promise.resolve(null);
  }

  private async loginPage(uid: string, workspace: SignInTarget, client: string, email?: string, error?: string): Promise<string> {
    const idp = await this.federation.identityProviderOf(workspace);
    return renderLoginPage({
      federation: idp ? { action: `/oauth/interaction/${encodeURIComponent(uid)}/federated`, displayName: idp.displayName } : undefined,
      action: `/oauth/interaction/${encodeURIComponent(uid)}/login`,
      csrf: this.csrfToken(uid),
      workspaceName: workspace.workspaceName,
      tenantName: workspace.tenantName,
      clientName: client,
      email,
      error,
    });
  }

  private consentPage(uid: string, workspace: SignInTarget, client: string, details: Details, email: string, staysConnected: boolean): string {
    const redirectUri = String(details.params.redirect_uri ?? '');
    let redirectHost = redirectUri;
    try {
      redirectHost = new URL(redirectUri).host;
    } catch {
      /* shown as given */
    }
    const requested = String(details.params.scope ?? '').split(' ');
    const scopes = TOOL_SCOPES.filter((s) => requested.includes(s) || !requested.some((r) => (TOOL_SCOPES as readonly string[]).includes(r)));
    return renderConsentPage({
      action: `/oauth/interaction/${encodeURIComponent(uid)}/consent`,
      csrf: this.csrfToken(uid),
      workspaceName: workspace.workspaceName,
      tenantName: workspace.tenantName,
      clientName: client,
      redirectHost,
      userEmail: email,
      scopes,
      offlineAccess: staysConnected,
    });
  }

  /** The form token is bound to this interaction; the interaction itself is bound to a cookie. */
  private csrfToken(uid: string): string {
    return createHmac('sha256', this.config.cookieKeys[0]!).update(`csrf:${uid}`).digest('base64url');
  }

  private validCsrf(uid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(uid));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private record(workspace: SignInTarget, actorId: string, action: string, outcome: string, details: Record<string, unknown>) {
    const workspaceId = isConsoleTarget(workspace) ? null : workspace.workspaceId;
    return this.audit.append({ tenantId: workspace.tenantId, workspaceId, actorKind: 'user', actorId, action, outcome, details });
  }
}

function clientName(client: { clientName?: string; clientId: string }): string {
  return clientDisplayName(client.clientId, client.clientName) ?? 'an application';
}

function invalidResource(): Page {
  return { status: 400, html: renderErrorPage('invalid_target', 'This sign-in request does not name a known workspace.') };
}
