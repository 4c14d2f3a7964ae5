import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['sync_runs', 'document_sources', 'source_cursors'];
const CURRENT_WORKSPACE = `NULLIF(current_setting('tessera.workspace_id', true), '')::uuid`;

/**
 * The sync tables (migration 1765950000000) hold workspace data like `documents` does, so they get the
 * same workspace-scoped policy (see 1765123200000): visible and writable only inside a transaction that
 * named their workspace. The SCIM directory is tenant-scoped, and the project has no tenant-scoped
 * policy yet, so it is left as it is.
 */
export class SyncRowSecurity1766000000000 implements MigrationInterface {
  name = 'SyncRowSecurity1766000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_workspace_scope ON ${table}
          USING (workspace_id = ${CURRENT_WORKSPACE})
          WITH CHECK (workspace_id = ${CURRENT_WORKSPACE})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`DROP POLICY IF EXISTS ${table}_workspace_scope ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
