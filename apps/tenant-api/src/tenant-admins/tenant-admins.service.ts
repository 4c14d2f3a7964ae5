import { Injectable } from '@nestjs/common';
import { TesseraError } from '@tessera/domain';
import { AuditRepository, TenantAdminRepository, TenantAdminRow } from '@tessera/persistence';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import { emailParameter } from '../users/email-parameter';

/**
 * Tenant admins: users (by email) who may sign in to the admin console and act there as the tenant.
 * Managed by the platform admin or by the tenant itself (its API key or an existing admin's session).
 */
@Injectable()
export class TenantAdminsService {
  constructor(
    private readonly access: TenantAccessService,
    private readonly admins: TenantAdminRepository,
    private readonly audit: AuditRepository,
  ) {}

  async add(actor: Actor, tenantSlug: string, rawEmail: string): Promise<{ created: boolean }> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const email = emailParameter(rawEmail);
    const created = await this.admins.add(tenant.id, email);
    await this.record(actor, tenant.id, 'tenant.admin.add', created ? 'created' : 'unchanged', email);
    return { created };
  }

  async remove(actor: Actor, tenantSlug: string, rawEmail: string): Promise<void> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const email = emailParameter(rawEmail);
    if (!(await this.admins.remove(tenant.id, email))) throw TesseraError.notFound('tenant admin');
    await this.record(actor, tenant.id, 'tenant.admin.remove', 'success', email);
  }

  async list(actor: Actor, tenantSlug: string): Promise<TenantAdminRow[]> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    return this.admins.list(tenant.id);
  }

  private record(actor: Actor, tenantId: string, action: string, outcome: string, email: string) {
    return this.audit.append({ tenantId, workspaceId: null, actorKind: actor.kind, actorId: actorId(actor), action, outcome, details: { email } });
  }
}
