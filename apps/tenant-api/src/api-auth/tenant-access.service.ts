import { Injectable } from '@nestjs/common';
import { TesseraError } from '@tessera/domain';
import { TenantEntity, TenantRepository, WorkspaceEntity, WorkspaceRepository } from '@tessera/persistence';
import type { Actor } from './actor';

/**
 * The first thing every tenant-scoped service does. Another tenant's resources answer 404, exactly
 * like resources that do not exist, so a key cannot even learn what other tenants have.
 */
@Injectable()
export class TenantAccessService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly workspaces: WorkspaceRepository,
  ) {}

  async requireTenant(actor: Actor, tenantSlug: string): Promise<TenantEntity> {
    const tenant = await this.tenants.findBySlug(tenantSlug);
    if (!tenant || (actor.kind === 'tenant' && actor.tenantId !== tenant.id)) throw TesseraError.notFound('tenant');
    return tenant;
  }

  async requireWorkspace(
    actor: Actor,
    tenantSlug: string,
    workspaceSlug: string,
  ): Promise<{ tenant: TenantEntity; workspace: WorkspaceEntity }> {
    const tenant = await this.requireTenant(actor, tenantSlug);
    const workspace = await this.workspaces.findBySlug(tenant.id, workspaceSlug);
    if (!workspace) throw TesseraError.notFound('workspace');
    return { tenant, workspace };
  }
}
