import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import {
  FEDERATION_TEST_KIND,
  FEDERATION_TEST_RETURN_PATH,
  FEDERATION_TEST_TTL_SECONDS,
  type FederationTestOutcome,
  type FederationTestTicket,
  idpMessage,
} from '@tessera/domain';
import { AuditRepository, IdentityProviderRepository, OidcModelRepository, UserRepository } from '@tessera/persistence';
import { OutboundHttp, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { FEDERATION_STATE_KIND, FEDERATION_STATE_TTL_SECONDS, type FederationState } from './federation-state';
import { authorizationRequestFailure, discoveryFailure, exchangeFailure } from './federation-test-failure';
import { idpClaims } from './idp-claims';
import { IdpDiscovery } from './idp-discovery';
import { renderErrorPage } from './pages';

type Page = { status: number; html: string } | undefined;

const CLAIM_FAILURES = {
  no_verified_email: 'The IdP signed you in but shared no verified email address: allow the email scope (and email_verified) for this client.',
  invalid_claims: 'The IdP returned a name, email or group that is not valid text.',
} as const;

/**
 * "Test sign-in" of a tenant's IdP: the same round trip as a real federated sign-in (fresh discovery through
 * the SSRF guard, PKCE, state, nonce, the ID token checks, the claims mapping), with one step more — the
 * authorization request is first sent by the server, to catch an IdP that refuses the redirect URI with an
 * error page the browser would show instead of coming back — but it signs nobody in and
 * provisions nobody: the outcome is written on the ticket the tenant API issued, and the browser goes back
 * to the console, which reads it there. Single use; tokens are never stored or shown.
 */
@Injectable()
export class FederationTestService {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly providers: IdentityProviderRepository,
    private readonly models: OidcModelRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly discovery: IdpDiscovery,
    private readonly outbound: OutboundHttp,
  ) {}

  /** The browser arrives with the ticket: discover the IdP afresh and send the browser there. */
  async start(ticketId: string, res: Response): Promise<Page> {
    if (!isTicketId(ticketId)) return expired();
    // Single use even when two requests race: only one of them sets startedAt.
    const started = (await this.models.claimOnce(FEDERATION_TEST_KIND, ticketId, 'startedAt', new Date().toISOString())) as FederationTestTicket | undefined;
    if (!started || started.outcome?.status !== 'pending') return expired();
    const idp = await this.providers.findByTenant(started.tenantId);
    if (!idp) return { status: 400, html: renderErrorPage('invalid_request', 'This organization has no single sign-on configured.') };
    let configuration: oidc.Configuration;
    try {
      configuration = await this.discovery.configuration(idp, { fresh: true });
    } catch (error) {
      return this.conclude(ticketId, started, { status: 'failed', ...discoveryFailure(error, idp.issuer) }, res);
    }
    const state = oidc.randomState();
    const record: FederationState = { uid: '', tenantId: started.tenantId, verifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce(), testId: ticketId };
    await this.models.upsert(FEDERATION_STATE_KIND, state, { ...record }, FEDERATION_STATE_TTL_SECONDS);
    const url = await this.discovery.authorizationUrl(configuration, { state, verifier: record.verifier, nonce: record.nonce });
    const refused = await this.preflight(url, idp.clientId);
    if (refused) return this.conclude(ticketId, started, { status: 'failed', ...refused }, res);
    res.redirect(303, url.href);
    return undefined;
  }

  /** The IdP's return for a test: the outcome goes on the ticket, nobody is signed in. */
  async finish(record: FederationState, state: string, req: Request, res: Response): Promise<Page> {
    await this.models.destroy(FEDERATION_STATE_KIND, state);
    const ticket = await this.ticket(record.testId!);
    if (!ticket || ticket.outcome.status !== 'pending') return expired();
    return this.conclude(record.testId!, ticket, await this.outcome(record, state, req), res);
  }

  private async outcome(record: FederationState, state: string, req: Request): Promise<FederationTestOutcome> {
    if (typeof req.query.error === 'string') {
      const said = [idpMessage(req.query.error, 64), idpMessage(req.query.error_description)].filter(Boolean).join(': ');
      return { status: 'failed', code: 'idp_error', message: `The IdP sent the browser back with an error (${said}).` };
    }
    const idp = await this.providers.findByTenant(record.tenantId);
    if (!idp) return { status: 'failed', code: 'discovery_failed', message: 'The identity provider was disconnected during the test.' };
    let configuration: oidc.Configuration;
    try {
      configuration = await this.discovery.configuration(idp);
    } catch (error) {
      return { status: 'failed', ...discoveryFailure(error, idp.issuer) };
    }
    let claims: oidc.IDToken;
    try {
      claims = await this.discovery.idTokenClaims(configuration, req.originalUrl, { state, verifier: record.verifier, nonce: record.nonce });
    } catch (error) {
      return { status: 'failed', ...exchangeFailure(error) };
    }
    const mapped = idpClaims(claims, idp.groupsClaim);
    if (!mapped.ok) return { status: 'failed', code: mapped.code, message: CLAIM_FAILURES[mapped.code] };
    const existingUser = (await this.users.findByEmail(record.tenantId, mapped.email)) !== null;
    return { status: 'succeeded', claims: { email: mapped.email, name: mapped.name ?? null, groups: mapped.groups, existingUser } };
  }

  private async conclude(ticketId: string, ticket: FederationTestTicket, outcome: FederationTestOutcome, res: Response): Promise<Page> {
    await this.models.upsert(FEDERATION_TEST_KIND, ticketId, { ...ticket, outcome }, FEDERATION_TEST_TTL_SECONDS);
    await this.audit.append({
      tenantId: ticket.tenantId,
      workspaceId: null,
      actorKind: 'tenant',
      actorId: ticket.requestedBy,
      action: 'identity_provider.test',
      outcome: outcome.status === 'succeeded' ? 'success' : 'failure',
      details: outcome.status === 'failed' ? { code: outcome.code } : {},
    });
    res.redirect(303, `${this.platform.publicUrl}${FEDERATION_TEST_RETURN_PATH}?test=${encodeURIComponent(ticketId)}`);
    return undefined;
  }

  /** The authorization request as the browser will send it, without cookies and without following redirects. */
  private async preflight(url: URL, clientId: string) {
    try {
      const response = await this.outbound.fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
      await response.body?.cancel();
      return authorizationRequestFailure(response.status, this.discovery.callbackUrl(), clientId);
    } catch {
      // Unreachable now: the browser will show why; discovery just worked, so this is rare.
      return undefined;
    }
  }

  private async ticket(ticketId: string): Promise<FederationTestTicket | undefined> {
    if (!isTicketId(ticketId)) return undefined;
    return (await this.models.find(FEDERATION_TEST_KIND, ticketId))?.payload as unknown as FederationTestTicket | undefined;
  }
}

function isTicketId(ticketId: string): boolean {
  return /^[A-Za-z0-9_-]{20,64}$/.test(ticketId);
}

function expired(): Page {
  return { status: 400, html: renderErrorPage('invalid_request', 'This test sign-in has expired or was already used. Start a new one from the console.') };
}
