/**
 * Isolation in depth (issue 4, scope 6): PostgreSQL row-level security keeps a query that forgets its
 * `WHERE workspace_id` inside one workspace — on a real server as an ordinary role, and on the embedded
 * PGlite, whose session acts as an ordinary role too.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inWorkspaceTransaction, readInWorkspace, rowSecurityBypassed, SyncRepository, type Database } from '@tessera/persistence';
import { PostgresSearchBackend, prepareDocument } from '@tessera/search';
import { insertWorkspace, openTestDatabase, type DatabaseKind } from '../support/database-harness';

const TABLES = ['documents', 'posting_blocks', 'workspace_search_stats', 'sync_runs', 'document_sources', 'source_cursors'];
const SYNC_TABLES = ['sync_runs', 'document_sources', 'source_cursors'];

for (const kind of ['postgres', 'pglite'] as DatabaseKind[]) {
  describe(`workspace row-level security (${kind === 'postgres' ? 'real PostgreSQL, ordinary role' : 'embedded PGlite'})`, () => {
    let database: Database;
    let close: () => Promise<void>;
    let a: string;
    let b: string;

    beforeAll(async () => {
      ({ database, close } = await openTestDatabase(kind));
      const backend = new PostgresSearchBackend(database.dataSource);
      a = await insertWorkspace(database);
      b = await insertWorkspace(database);
      await backend.upsert(a, [prepareDocument({ id: 'a-1', title: 'Alpha plan', text: 'Only workspace A may read this.' })]);
      await backend.upsert(b, [prepareDocument({ id: 'b-1', title: 'Beta plan', text: 'Only workspace B may read this.' }),
        prepareDocument({ id: 'b-2', title: 'Beta budget', text: 'Also B.' })]);
      const sync = new SyncRepository(database.dataSource);
      for (const [workspace, doc] of [[a, 'a-1'], [b, 'b-1']] as const) {
        const run = await sync.open(workspace, 'drive', 3600);
        await sync.markSeen(run!, [doc]);
        await sync.putCursor(workspace, 'drive', `cursor-${doc}`);
      }
    });
    afterAll(async () => close?.());

    it('connects as a role that row security applies to', async () => {
      assert.equal(await rowSecurityBypassed(database.dataSource), false);
    });

    it('enables and forces row security on every workspace table', async () => {
      const rows: Array<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }> = await database.dataSource.query(
        `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
        [TABLES],
      );
      expect(rows.map((r) => [r.relname, r.relrowsecurity, r.relforcerowsecurity])).toStrictEqual([...TABLES].sort().map((t) => [t, true, true]));
    });

    it('shows nothing outside a workspace scope, even to a query without a WHERE', async () => {
      for (const table of TABLES) {
        const [row] = await database.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
        assert.equal(row.n, 0, table);
      }
    });

    it('shows only the scoped workspace to a query that forgets its WHERE', async () => {
      const ids = await readInWorkspace(database.dataSource, b, (db) => db.query<{ external_id: string }>(`SELECT external_id FROM documents ORDER BY 1`));
      expect(ids.map((r) => r.external_id)).toStrictEqual(['b-1', 'b-2']);
      const postings = await readInWorkspace(database.dataSource, a, (db) => db.query<{ n: number }>(`SELECT count(DISTINCT workspace_id)::int AS n FROM posting_blocks`));
      assert.equal(postings[0]!.n, 1);
    });

    it("refuses to write a row into another workspace than the scope's", async () => {
      await assert.rejects(
        inWorkspaceTransaction(database.dataSource, a, (em) =>
          em.query(`INSERT INTO documents (workspace_id, external_id, title, text, content_hash) VALUES ($1, 'smuggled', 't', 'x', 'h')`, [b]),
        ),
        /row-level security/,
      );
      const moved = await inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`UPDATE documents SET title = 'renamed' WHERE workspace_id = $1`, [b]));
      assert.equal(moved[1], 0, 'an update aimed at another workspace touches nothing');
      const [row] = await readInWorkspace(database.dataSource, b, (db) => db.query<{ title: string }>(`SELECT title FROM documents WHERE external_id = 'b-1'`));
      assert.equal(row!.title, 'Beta plan');
    });

    it("answers the gateway's one-round-trip reads within their own workspace, and leaves no scope behind", async () => {
      const mine = await database.dataSource.query(`SELECT external_id FROM tessera_document($1, 'b-1', NULL, NULL)`, [b]);
      expect(mine.map((r: { external_id: string }) => r.external_id)).toStrictEqual(['b-1']);
      expect(await database.dataSource.query(`SELECT external_id FROM tessera_document($1, 'b-1', NULL, NULL)`, [a])).toStrictEqual([]);
      const [{ pk }] = await database.dataSource.query(`SELECT pk FROM tessera_document($1, 'b-1', NULL, NULL)`, [b]);
      const candidates = await database.dataSource.query(`SELECT id FROM tessera_readable_candidates($1, $2, '{}', '{}')`, [a, [pk]]);
      assert.deepEqual(candidates.map((r: { id: string | null }) => r.id), [null], "another workspace's document is not a candidate here");
      await assert.rejects(
        readInWorkspace(database.dataSource, a, (db) => db.query(`SELECT * FROM tessera_document($1, 'b-1', NULL, NULL)`, [b])),
        /scoped to another workspace/,
        'a transaction scoped to one workspace cannot be moved to another',
      );
      const [row] = await database.dataSource.query(`SELECT NULLIF(current_setting('tessera.workspace_id', true), '') AS ws, count(*)::int AS n FROM documents`);
      expect([row.ws, row.n]).toStrictEqual([null, 0]);
    });

    it("keeps each workspace's sync runs, document sources and cursors to itself", async () => {
      for (const table of SYNC_TABLES) {
        const seen = await readInWorkspace(database.dataSource, a, (db) => db.query<{ workspace_id: string }>(`SELECT DISTINCT workspace_id FROM ${table}`));
        assert.deepEqual(seen.map((r) => r.workspace_id), [a], `${table}: a query without a WHERE sees only its workspace`);
        const changed = await inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`UPDATE ${table} SET workspace_id = workspace_id WHERE workspace_id = $1`, [b]));
        assert.equal(changed[1], 0, `${table}: an update aimed at another workspace touches nothing`);
        const deleted = await inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [b]));
        assert.equal(deleted[1], 0, `${table}: a delete aimed at another workspace touches nothing`);
      }
      await assert.rejects(
        inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`INSERT INTO source_cursors (workspace_id, source, cursor) VALUES ($1, 'drive', 'forged')`, [b])),
        /row-level security/,
      );
      await assert.rejects(
        inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`INSERT INTO sync_runs (workspace_id, source, expires_at) VALUES ($1, 'other', now())`, [b])),
        /row-level security/,
      );
      const sync = new SyncRepository(database.dataSource);
      assert.equal((await sync.cursor(b, 'drive'))?.cursor, 'cursor-b-1', "B's cursor is intact");
      const [runB] = await sync.list(b, 10);
      assert.equal(runB?.state, 'open', "B's run is intact");
      assert.equal(await sync.find(a, runB!.id), null, "A cannot find B's run by id");
      assert.deepEqual(await sync.reconcile(runB!), { total: 1, seen: 1, unseen: [] }, "B's document source is intact");
    });

    it('scopes only to well-formed workspace ids', async () => {
      await assert.rejects(readInWorkspace(database.dataSource, "x'); DROP TABLE documents; --", async () => 1), /not a workspace id/);
    });

    it('leaves no workspace scope on a pooled connection after a read', async () => {
      await readInWorkspace(database.dataSource, a, (db) => db.query(`SELECT 1`));
      const [row] = await database.dataSource.query(`SELECT NULLIF(current_setting('tessera.workspace_id', true), '') AS ws, count(*)::int AS n FROM documents`);
      assert.equal(row.ws, null);
      assert.equal(row.n, 0);
    });
  });
}
