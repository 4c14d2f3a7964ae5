import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['documents', 'postings', 'workspace_search_stats'];
const CURRENT_WORKSPACE = `NULLIF(current_setting('tessera.workspace_id', true), '')::uuid`;

/**
 * Isolation in depth: workspace data is visible only inside a transaction scoped to its workspace
 * (libs/persistence/src/workspace-scope.ts), so a query that forgets `WHERE workspace_id` cannot read or
 * write another workspace's rows. FORCE applies the policies to the tables' owner too (the role the
 * platform connects as, which runs these migrations); superusers and BYPASSRLS roles are never subject
 * to row security, which is why the platform warns when it connects as one. Foreign-key cascades
 * (deleting a workspace) are integrity checks and are not filtered.
 */
export class WorkspaceRowSecurity1765123200000 implements MigrationInterface {
  name = 'WorkspaceRowSecurity1765123200000';

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
