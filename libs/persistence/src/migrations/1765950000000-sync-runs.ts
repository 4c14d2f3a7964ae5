import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciled sync: runs per workspace and source, the source each document belongs to (one at a time)
 * with the last run that saw it, and each source's opaque cursor. Kept beside the search backend's
 * storage (PostgreSQL or OpenSearch alike), so completion asks the backend to delete what no run saw.
 */
export class SyncRuns1765950000000 implements MigrationInterface {
  name = 'SyncRuns1765950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        source text NOT NULL,
        state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'abandoned')),
        seen integer NOT NULL DEFAULT 0,
        deleted integer NOT NULL DEFAULT 0,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        finished_at timestamptz
      )`);
    // One open run per source: two would each delete what the other saw.
    await q.query(`CREATE UNIQUE INDEX sync_runs_open_source ON sync_runs (workspace_id, source) WHERE state = 'open'`);
    await q.query(`CREATE INDEX sync_runs_workspace ON sync_runs (workspace_id, started_at DESC)`);
    await q.query(`
      CREATE TABLE document_sources (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        source text NOT NULL,
        last_run uuid,
        PRIMARY KEY (workspace_id, external_id)
      )`);
    await q.query(`CREATE INDEX document_sources_source ON document_sources (workspace_id, source)`);
    await q.query(`
      CREATE TABLE source_cursors (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        source text NOT NULL,
        cursor text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, source)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE source_cursors`);
    await q.query(`DROP TABLE document_sources`);
    await q.query(`DROP TABLE sync_runs`);
  }
}
