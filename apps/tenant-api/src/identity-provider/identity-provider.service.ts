import { Inject, Injectable } from '@nestjs/common';
import { FEDERATION_CALLBACK_PATH, isLoopbackRedirectUri, publicHttpsUrlProblem, TesseraError } from '@tessera/domain';
import { AuditRepository, IdentityProviderRepository } from '@tessera/persistence';
import { destinationProblem, PLATFORM_CONFIG, type PlatformConfig, requiredEncryptionKey, SecretBox } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import type { IdentityProviderDto, PutIdentityProviderDto } from './dto/identity-provider.dto';


@Injectable()
export class IdentityProviderService {
  private readonly box: SecretBox;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly access: TenantAccessService,
    private readonly providers: IdentityProviderRepository,
    private readonly audit: AuditRepository,
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
}
