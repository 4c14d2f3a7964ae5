import { Inject, Injectable } from '@nestjs/common';
import { isUuid, TesseraError } from '@tessera/domain';
import { AuditRepository, ScimTokenRecord, ScimTokenRepository } from '@tessera/persistence';
import { generateSecret, hashSecret, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import { scimBaseUrl } from '../scim/scim-schemas';

/** The bearer tokens a tenant's IdP provisions with (SCIM). Only their SHA-256 is kept. */
@Injectable()
export class ScimTokensService {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly access: TenantAccessService,
    private readonly tokens: ScimTokenRepository,
    private readonly audit: AuditRepository,
  ) {}

  async issue(actor: Actor, tenantSlug: string, label: string | undefined): Promise<{ record: ScimTokenRecord; token: string; scimUrl: string }> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const token = generateSecret('tss');
    const record = await this.tokens.create(tenant.id, hashSecret(token), (label ?? '').trim());
    await this.record(actor, tenant.id, 'scim_token.issue', record.id);
    return { record, token, scimUrl: scimBaseUrl(this.platform.publicUrl, tenant.slug) };
  }

  async list(actor: Actor, tenantSlug: string): Promise<ScimTokenRecord[]> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    return this.tokens.list(tenant.id);
  }

  /** The SCIM guard reads the token table on every request, so a revoked token stops at once everywhere. */
  async revoke(actor: Actor, tenantSlug: string, id: string): Promise<void> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const revoked = isUuid(id) ? await this.tokens.revoke(tenant.id, id) : null;
    if (!revoked) throw TesseraError.notFound('SCIM token');
    await this.record(actor, tenant.id, 'scim_token.revoke', id);
  }

  private record(actor: Actor, tenantId: string, action: string, tokenId: string): Promise<void> {
    return this.audit.append({ tenantId, workspaceId: null, actorKind: actor.kind, actorId: actorId(actor), action, outcome: 'success', details: { tokenId } });
  }
}
