import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  FEDERATION_CALLBACK_PATH,
  FEDERATION_TEST_KIND,
  FEDERATION_TEST_PATH,
  FEDERATION_TEST_TTL_SECONDS,
  type FederationTestTicket,
  isLoopbackRedirectUri,
  publicHttpsUrlProblem,
  TesseraError,
} from '@tessera/domain';
import { AuditRepository, IdentityProviderRepository, OidcModelRepository } from '@tessera/persistence';
import { destinationProblem, PLATFORM_CONFIG, type PlatformConfig, requiredEncryptionKey, SecretBox } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import type { IdentityProviderDto, IdentityProviderTestDto, PutIdentityProviderDto, StartedIdentityProviderTestDto } from './dto/identity-provider.dto';


@Injectable()
export class IdentityProviderService {
  private readonly box: SecretBox;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly access: TenantAccessService,
    private readonly providers: IdentityProviderRepository,
    private readonly audit: AuditRepository,
    private readonly models: OidcModelRepository,
  ) {
    this.box = new SecretBox(requiredEncryptionKey(platform), platform.previousEncryptionKeys);
  }

  async put(actor: Actor, tenantSlug: string, input: PutIdentityProviderDto): Promise<IdentityProviderDto> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const issuer = input.issuer.replace(/\/+$/, '');
    const url = new URL(issuer);
    // The authorization server will fetch this issuer's metadata: refuse internal addresses here, at
    // once, as well as there. Loopback http only for local development and tests.
    const dev = this.platform.devAllowLoopbackMetadata;
    const problem = url.protocol === 'http:' && dev && isLoopbackRedirectUri(issuer) ? undefined : publicHttpsUrlProblem(issuer, dev, 'issuers');
    if (problem) throw TesseraError.validation(`issuer: ${problem}`);
    // A public-looking name may still resolve to an internal address: say so now (connections are checked again at use).
    const resolved = await destinationProblem(url, { allowLoopback: dev });
    if (resolved) throw TesseraError.validation(`issuer: ${resolved}`);
    if (url.search || url.hash) throw TesseraError.validation('issuer: must not have a query or fragment');
    await this.providers.upsert({
      tenantId: tenant.id,
      issuer,
      clientId: input.clientId,
      clientSecretSealed: this.box.seal(input.clientSecret),
      groupsClaim: input.groupsClaim ?? 'groups',
      displayName: input.displayName ?? url.host,
      autoProvision: input.autoProvision ?? true,
    });
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: null,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'identity_provider.put',
      outcome: 'success',
      details: { issuer, clientId: input.clientId },
    });
    return this.get(actor, tenantSlug);
  }

  async get(actor: Actor, tenantSlug: string): Promise<IdentityProviderDto> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const record = await this.providers.findByTenant(tenant.id);
    if (!record) throw TesseraError.notFound('identity provider');
    return {
      issuer: record.issuer,
      clientId: record.clientId,
      groupsClaim: record.groupsClaim,
      displayName: record.displayName,
      autoProvision: record.autoProvision,
      redirectUri: `${this.platform.publicUrl}${FEDERATION_CALLBACK_PATH}`,
    };
  }

  async delete(actor: Actor, tenantSlug: string): Promise<void> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    if (!(await this.providers.delete(tenant.id))) throw TesseraError.notFound('identity provider');
  }

  /**
   * Issues a single-use ticket for a test sign-in: the browser takes it to the authorization server, which runs
   * the real federated round trip and writes the outcome on it instead of signing anyone in.
   */
  async startTest(actor: Actor, tenantSlug: string): Promise<StartedIdentityProviderTestDto> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    if (!(await this.providers.findByTenant(tenant.id))) throw TesseraError.notFound('identity provider');
    const id = randomBytes(24).toString('base64url');
    const ticket: FederationTestTicket = { tenantId: tenant.id, requestedBy: actorId(actor), outcome: { status: 'pending' } };
    await this.models.upsert(FEDERATION_TEST_KIND, id, { ...ticket }, FEDERATION_TEST_TTL_SECONDS);
    return { id, url: `${this.platform.publicUrl}${FEDERATION_TEST_PATH}/${id}` };
  }

  async testOutcome(actor: Actor, tenantSlug: string, id: string): Promise<IdentityProviderTestDto> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const row = /^[A-Za-z0-9_-]{20,64}$/.test(id) ? await this.models.find(FEDERATION_TEST_KIND, id) : undefined;
    const ticket = row?.payload as unknown as FederationTestTicket | undefined;
    // Another tenant's ticket is as absent as an unknown one.
    if (!ticket || ticket.tenantId !== tenant.id) throw TesseraError.notFound('test sign-in');
    const { outcome } = ticket;
    if (outcome.status === 'succeeded') return { id, status: 'succeeded', claims: { ...outcome.claims, groups: [...outcome.claims.groups] } };
    if (outcome.status === 'failed') return { id, status: 'failed', failure: { code: outcome.code, message: outcome.message } };
    return { id, status: 'pending' };
  }
}
