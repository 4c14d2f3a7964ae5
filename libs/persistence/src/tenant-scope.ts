import { isUuid } from '@tessera/domain';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Row-level security on tenant data (the SCIM directory's groups, memberships and tokens; migration
 * 1766100000000): a row is visible and writable only inside a transaction that named its tenant with
 * `set_config('tessera.tenant_id', …, true)`, the tenant-scoped twin of workspace-scope.ts.
 */
export const TENANT_SETTING = 'tessera.tenant_id';

/** Runs `work` in a transaction scoped to one tenant. */
export function inTenantTransaction<T>(dataSource: DataSource, tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  if (!isUuid(tenantId)) return Promise.reject(new Error('tenant scope: not a tenant id'));
  return dataSource.transaction(async (em) => {
    await em.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenantId.toLowerCase()]);
    return work(em);
  });
}
