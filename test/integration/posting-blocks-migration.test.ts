/**
 * Migration 1765500000000 (postings stored as blocks) on a database that already holds documents:
 * reverted, every posting is back as a row of `postings`; applied again, every posting is in a
 * block, searches rank as before, and the migrated documents can be replaced and deleted.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS, openDatabase, type Database } from '@tessera/persistence';
import { PostgresSearchBackend, prepareDocument } from '@tessera/search';
import { insertWorkspace, openTestDatabase, type DatabaseKind } from '../support/database-harness';
import { blockPostings, byKey, expectedPostings, inWorkspace, storedDocuments, type PostingRow } from '../support/posting-blocks';

/**
 * A migrated database that can be reverted by one migration and upgraded again as the platform does:
 * on the server, by its own (ordinary) role; embedded, by PGlite's superuser before the session takes
 * the application role, so upgrading means opening the data directory again.
 */
/** Reverting 1765500000000 reverts the migrations after it first (they are applied again with it). */
const REVERTED = MIGRATIONS.length - MIGRATIONS.findIndex((m) => m.name === 'PostingBlocks1765500000000');

async function revertToBeforeBlocks(dataSource: DataSource): Promise<void> {
  for (let i = 0; i < REVERTED; i++) await dataSource.undoLastMigration({ transaction: 'each' });
}

async function openUpgradable(kind: DatabaseKind) {
  if (kind === 'postgres') {
    const { database, close } = await openTestDatabase(kind);
    return {
      database: () => database,
      revert: () => revertToBeforeBlocks(database.dataSource),
      upgrade: () => database.dataSource.runMigrations({ transaction: 'each' }).then(() => undefined),
      close,
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-pglite-'));
  let database = await openDatabase({ dataDir, migrate: true });
  return {
    database: () => database,
    revert: async () => {
      await database.dataSource.query('RESET ROLE');
      await revertToBeforeBlocks(database.dataSource);
    },
    upgrade: async () => {
      await database.close();
      database = await openDatabase({ dataDir, migrate: true });
    },
    close: async () => {
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function expectedOf(dataSource: DataSource, workspaceId: string): Promise<PostingRow[]> {
  return expectedPostings(await storedDocuments(dataSource, workspaceId));
}

async function postingRows(dataSource: DataSource, workspaceId: string): Promise<PostingRow[]> {
  const rows: PostingRow[] = await inWorkspace(dataSource, workspaceId, (em) =>
    em.query(`SELECT term, doc_pk::text, tf_title, tf_body, title_length, body_length FROM postings WHERE workspace_id = $1`, [workspaceId]));
  return rows.sort(byKey);
}

for (const kind of ['postgres', 'pglite'] as DatabaseKind[]) {
  describe(`posting blocks migration, reverted and applied again (${kind})`, () => {
    let upgradable: Awaited<ReturnType<typeof openUpgradable>>;
    let database: Database;
    const workspaces: string[] = [];
    const reader = { identifiers: ['ana@example.com'], groups: ['finance'] };
    const query = { query: 'river crossing budget', reader, limit: 10 };
    let before1: unknown;

    beforeAll(async () => {
      upgradable = await openUpgradable(kind);
      database = upgradable.database();
      const backend = new PostgresSearchBackend(database.dataSource, { postingsCacheBytes: 0 });
      for (let w = 0; w < 2; w++) {
        const ws = await insertWorkspace(database);
        workspaces.push(ws);
        await backend.upsert(ws, Array.from({ length: 30 }, (_, i) => prepareDocument({
          id: `doc-${i}`,
          title: `Document ${i} about ${i % 3 === 0 ? 'the river' : 'the budget'}`,
          text: `Workspace ${w}. ${'crossing '.repeat(1 + (i % 4))} budget lines ${i}, shared words and more words ${i * 7}`,
          ...(i % 5 === 0 ? { acl: { users: [], groups: ['board'] } } : {}),
        })));
        await backend.upsert(ws, [prepareDocument({ id: 'doc-3', title: 'Document 3, replaced', text: 'The river crossing, rewritten.' })]);
        assert.equal(await backend.delete(ws, 'doc-4'), true);
      }
      before1 = await backend.search(workspaces[0]!, query);
    });
    afterAll(async () => upgradable?.close());

    it('moves every posting back to a row of postings when reverted', async () => {
      await upgradable.revert();
      for (const ws of workspaces) expect(await postingRows(database.dataSource, ws)).toStrictEqual(await expectedOf(database.dataSource, ws));
      // A posting whose document no longer exists (left by an earlier release): not carried into a block.
      await inWorkspace(database.dataSource, workspaces[1]!, (em) =>
        em.query(`INSERT INTO postings (workspace_id, term, doc_pk, tf_title, tf_body, title_length, body_length)
                  VALUES ($1, 'orphan', 999999, 0, 1, 1, 1)`, [workspaces[1]]));
    });

    it('moves every posting into a block when applied again, and ranks, replaces and deletes as before', async () => {
      await upgradable.upgrade();
      database = upgradable.database();
      for (const ws of workspaces) expect(await blockPostings(database.dataSource, ws)).toStrictEqual(await expectedOf(database.dataSource, ws));
      const backend = new PostgresSearchBackend(database.dataSource, { postingsCacheBytes: 0 });
      expect(await backend.search(workspaces[0]!, query)).toStrictEqual(before1);
      const ws = workspaces[0]!;
      const blocks = () => inWorkspace(database.dataSource, ws, (em) =>
        em.query(`SELECT external_id, posting_block FROM documents WHERE workspace_id = $1 AND external_id IN ('doc-6', 'doc-8')`, [ws])
          .then((rows: Array<{ external_id: string; posting_block: string | null }>) => Object.fromEntries(rows.map((r) => [r.external_id, r.posting_block]))));
      assert.deepEqual(await blocks(), { 'doc-6': null, 'doc-8': null }, 'a migrated document names no block: its block follows from its key');
      expect(await backend.upsert(ws, [prepareDocument({ id: 'doc-6', title: 'Document 6, replaced', text: 'mountains only' })])).toStrictEqual(['updated']);
      const after = await blocks();
      assert.ok(Number(after['doc-6']) > 0 && after['doc-8'] === null, 'a replaced one names its new block');
      assert.equal(await backend.delete(ws, 'doc-7'), true);
      expect(await blockPostings(database.dataSource, ws)).toStrictEqual(await expectedOf(database.dataSource, ws));
      const cached = new PostgresSearchBackend(database.dataSource);
      expect(await cached.search(ws, query)).toStrictEqual(await backend.search(ws, query));
    });
  });
}
