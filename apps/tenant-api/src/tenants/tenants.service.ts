import { Injectable } from '@nestjs/common';
import { ErrorCode, TesseraError } from '@tessera/domain';
import { AuditRepository, TenantEntity, TenantRepository } from '@tessera/persistence';
import { generateSecret, hashSecret } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly access: TenantAccessService,
    private readonly audit: AuditRepository,
  ) {}

  /** Only the platform admin creates tenants. The API key is returned here once and never again. */
  async create(actor: Actor, input: { slug: string; name: string }): Promise<{ tenant: TenantEntity; apiKey: string }> {
    if (actor.kind !== 'platform') throw new TesseraError(ErrorCode.Forbidden, 'only the platform admin can create tenants');
    const apiKey = generateSecret('tsk');
    const tenant = await this.tenants.create({ ...input, apiKeyHash: hashSecret(apiKey) });
    if (!tenant) throw new TesseraError(ErrorCode.Conflict, `a tenant with slug "${input.slug}" already exists`);
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: null,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'tenant.create',
      outcome: 'success',
      details: { slug: tenant.slug },
    });
    return { tenant, apiKey };
  }

  get(actor: Actor, slug: string): Promise<TenantEntity> {
    return this.access.requireTenant(actor, slug);
  }
}
