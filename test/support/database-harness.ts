import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Database, openDatabase } from '@tessera/persistence';
import { createTestDatabase } from './postgres';

export type DatabaseKind = 'postgres' | 'pglite';

/** A migrated database of either kind, fresh for one test file. */
export async function openTestDatabase(kind: DatabaseKind): Promise<{ database: Database; close(): Promise<void> }> {
  if (kind === 'postgres') {
    const testDb = await createTestDatabase();
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir(), migrate: true, poolSize: 4 });
    return { database, close: async () => { await database.close(); await testDb.drop(); } };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-pglite-'));
  const database = await openDatabase({ dataDir, migrate: true });
  return { database, close: async () => { await database.close(); await rm(dataDir, { recursive: true, force: true }); } };
}

/** Inserts a tenant and a workspace row directly, for tests below the API. */
export async function insertWorkspace(database: Database): Promise<string> {
  const suffix = randomBytes(4).toString('hex');
  const [tenant] = await database.dataSource.query(
    `INSERT INTO tenants (slug, name, api_key_hash) VALUES ($1, 'Test', $2) RETURNING id`,
    [`t-${suffix}`, `hash-${suffix}`],
  );
  const [workspace] = await database.dataSource.query(
    `INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'ws', 'Workspace') RETURNING id`,
    [tenant.id],
  );
  return workspace.id as string;
}
