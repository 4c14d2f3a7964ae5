import { isUuid } from '@tessera/domain';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Row-level security on workspace data (documents, posting blocks, search statistics; migration
 * 1765123200000): a row is visible and writable only inside a transaction that named its workspace
 * with `set_config('tessera.workspace_id', …, true)`. A query that forgets its `WHERE workspace_id`
 * still sees one workspace, and a query outside any workspace scope sees nothing.
 *
 * PostgreSQL does not apply row security to superusers or to roles with BYPASSRLS; the platform
 * warns at boot when its database role is one of them (see `rowSecurityBypassed`).
 */
export const WORKSPACE_SETTING = 'tessera.workspace_id';

/** A query runner that holds one connection: TypeORM's EntityManager in a transaction, or a pg client. */
export interface ScopedQueries {
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** A hot statement, parsed and planned once per connection. */
  prepared<T = Record<string, unknown>>(name: string, text: string, values: unknown[]): Promise<T[]>;
}

interface PgClient {
  query(config: string | { text: string; values?: unknown[]; name?: string }, values?: unknown[]): Promise<{ rows: unknown[] }>;
  release(error?: Error | boolean): void;
}

interface PgPool {
  connect(): Promise<PgClient>;
}

function checkedWorkspaceId(workspaceId: string): string {
  // The id is also written into SQL text below (one round trip to open the scope): only a UUID passes.
  if (!isUuid(workspaceId)) throw new Error('workspace scope: not a workspace id');
  return workspaceId.toLowerCase();
}

/** Opens the workspace scope inside a transaction `em` already holds. */
export async function enterWorkspace(em: EntityManager, workspaceId: string): Promise<void> {
  await em.query(`SELECT set_config('${WORKSPACE_SETTING}', $1, true)`, [checkedWorkspaceId(workspaceId)]);
}

/** Runs `work` in a transaction scoped to one workspace (writes, and reads that need TypeORM). */
export function inWorkspaceTransaction<T>(dataSource: DataSource, workspaceId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const id = checkedWorkspaceId(workspaceId);
  return dataSource.transaction(async (em) => {
    await enterWorkspace(em, id);
    return work(em);
  });
}

/**
 * Runs `work` in a read-only transaction scoped to one workspace, on one pooled connection, with named
 * prepared statements: the gateway's hot path. Opening the scope is one round trip (BEGIN and
 * set_config sent together), closing it another. With `snapshot`, every statement of `work` sees the
 * same committed state (REPEATABLE READ), not each the latest.
 */
export async function readInWorkspace<T>(
  dataSource: DataSource,
  workspaceId: string,
  work: (db: ScopedQueries) => Promise<T>,
  options: { snapshot?: boolean } = {},
): Promise<T> {
  const id = checkedWorkspaceId(workspaceId);
  const pool = poolOf(dataSource);
  const isolation = options.snapshot ? 'REPEATABLE READ' : 'READ COMMITTED';
  if (!pool) {
    return dataSource.transaction(isolation, async (em) => {
      await enterWorkspace(em, id);
      return work({ query: (text, values) => em.query(text, values), prepared: (_name, text, values) => em.query(text, values) });
    });
  }
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation} READ ONLY; SELECT set_config('${WORKSPACE_SETTING}', '${id}', true)`);
    const result = await work({
      query: async <R>(text: string, values?: unknown[]) => (await client.query({ text, values })).rows as R[],
      prepared: async <R>(name: string, text: string, values: unknown[]) => (await client.query({ name, text, values })).rows as R[],
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection whose transaction could not be closed is not given back to the pool.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** True when the connected role is not subject to row-level security (a superuser or BYPASSRLS). */
export async function rowSecurityBypassed(dataSource: DataSource): Promise<boolean> {
  const rows: Array<{ bypass: boolean }> = await dataSource.query(
    `SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user`,
  );
  return rows[0]?.bypass === true;
}

function poolOf(dataSource: DataSource): PgPool | undefined {
  const master = (dataSource.driver as unknown as { master?: Partial<PgPool> } | undefined)?.master;
  return master && typeof master.connect === 'function' ? (master as PgPool) : undefined;
}

/**
 * Runs one named prepared statement on the pool, outside any transaction of ours: only for statements
 * that open their own workspace scope (the tessera_* functions of migration 1765209600000), so that a
 * hot read is one round trip.
 */
export async function selfScopedStatement<T>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = poolOf(dataSource) as (PgPool & { query?(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }> }) | undefined;
  if (!pool?.query) return dataSource.query(text, values);
  return (await pool.query({ name, text, values })).rows as T[];
}

/**
 * Excludes every writer of the workspace's index until the transaction ends: each holds this lock
 * shared while it writes (libs/search index-locks.ts). Dropping a workspace's index, or the workspace,
 * takes it first, so that no write in flight leaves postings behind.
 */
export async function lockWorkspaceIndexExclusively(em: EntityManager, workspaceId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [workspaceIndexLockName(workspaceId)]);
}

/** The lock's name (earlier releases locked it exclusively for every write, so it still excludes them). */
export function workspaceIndexLockName(workspaceId: string): string {
  return `tessera:index:${workspaceId}`;
}
