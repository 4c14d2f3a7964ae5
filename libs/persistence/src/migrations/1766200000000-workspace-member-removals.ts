import { MigrationInterface, QueryRunner } from 'typeorm';

const CURRENT_WORKSPACE = `NULLIF(current_setting('tessera.workspace_id', true), '')::uuid`;

/**
 * A tenant admin's removal of a member outlasts the membership row it deletes: one row per (workspace,
 * user) the admin removed, so that a sign-in through the tenant's IdP, which provisions newcomers by
 * default, does not make the person a member again. An admin adding them again (`POST …/users`, the
 * console) deletes the row. Workspace data, so under the workspace-scoped policy of 1765123200000.
 */
export class WorkspaceMemberRemovals1766200000000 implements MigrationInterface {
  name = 'WorkspaceMemberRemovals1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workspace_member_removals (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        removed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await q.query(`CREATE INDEX workspace_member_removals_user_idx ON workspace_member_removals (user_id)`);
    await q.query(`ALTER TABLE workspace_member_removals ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE workspace_member_removals FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY workspace_member_removals_workspace_scope ON workspace_member_removals
        USING (workspace_id = ${CURRENT_WORKSPACE})
        WITH CHECK (workspace_id = ${CURRENT_WORKSPACE})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS workspace_member_removals`);
  }
}
