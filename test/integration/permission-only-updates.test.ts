/**
 * Permission-only updates (updateAcl) on PostgreSQL and PGlite: who may read changes in search and
 * fetch, content is not analysed again (its postings stay as they were), the content hash follows the
 * ACL (re-sending the document with its new ACL is unchanged), and on PostgreSQL a second backend
 * instance on the same database (standing for another gateway process) shows the narrowing in its
 * next search and fetch once the database announced it, as for any write.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresSearchBackend, prepareDocument, withAcl, type ReaderFilter } from '@tessera/search';
import type { Database } from '@tessera/persistence';
import { insertWorkspace, openTestDatabase } from '../support/database-harness';

const ANA: ReaderFilter = { identifiers: ['ana@example.com'], groups: [] };
const BOB: ReaderFilter = { identifiers: ['bob@example.com'], groups: ['finance'] };
const BUDGET = { id: 'budget', title: 'Budget 2027', text: 'The budget forecast for 2027, harbour spending included.' };

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`permission-only updates (${kind})`, () => {
    let database: Database;
    let close: () => Promise<void>;
    let writer: PostgresSearchBackend;
    let reader: PostgresSearchBackend;

    beforeAll(async () => {
      ({ database, close } = await openTestDatabase(kind));
      writer = new PostgresSearchBackend(database.dataSource);
      reader = new PostgresSearchBackend(database.dataSource);
    });
    afterAll(async () => {
      await reader?.onApplicationShutdown();
      await writer?.onApplicationShutdown();
      await close?.();
    });

    const ids = async (backend: PostgresSearchBackend, ws: string, who: ReaderFilter) => (await backend.search(ws, { query: 'budget forecast', reader: who, limit: 10 })).map((h) => h.id);
    const postingRows = async (ws: string) => Number((await database.dataSource.query(`SELECT count(*)::int AS n FROM posting_blocks WHERE workspace_id = $1`, [ws]))[0].n);

    /** Runs a write and, where the reader listens (PostgreSQL), waits until it heard the database announce it. */
    async function announced<T>(write: () => Promise<T>): Promise<T> {
      const changes = reader.changes;
      if (!changes?.active) return write();
      await until(() => changes.live, 'the reader listens for index changes');
      const heard = changes.heard;
      const result = await write();
      await until(() => changes.heard > heard, 'the reader heard the write');
      return result;
    }

    it('narrows who may read, in search and fetch of another instance, without analysing the content again', async () => {
      const ws = await insertWorkspace(database);
      await writer.upsert(ws, [prepareDocument(BUDGET)]);
      expect(await ids(reader, ws, ANA)).toStrictEqual(['budget']);
      assert.equal((await reader.get(ws, 'budget', ANA))?.id, 'budget'); // held in memory where it caches
      const postings = await postingRows(ws);

      const stored = (await writer.get(ws, 'budget'))!;
      const narrowed = withAcl(stored, { groups: ['finance'] });
      assert.equal(await announced(() => writer.updateAcl(ws, 'budget', narrowed.acl, narrowed.contentHash)), true);

      expect(await ids(reader, ws, ANA)).toStrictEqual([]);
      assert.equal(await reader.get(ws, 'budget', ANA), null);
      expect(await ids(reader, ws, BOB)).toStrictEqual(['budget']);
      expect((await reader.get(ws, 'budget', BOB))?.acl.groups).toStrictEqual(['finance']);
      assert.equal(await postingRows(ws), postings, 'no postings written again');
      assert.equal((await writer.get(ws, 'budget'))?.text, BUDGET.text, 'content untouched');
      assert.deepEqual(await writer.upsert(ws, [prepareDocument({ ...BUDGET, acl: { groups: ['finance'] } })]), ['unchanged'], 'the hash follows the ACL');
    });

    it('answers false for a document that does not exist, and changes nothing', async () => {
      const ws = await insertWorkspace(database);
      assert.equal(await writer.updateAcl(ws, 'missing', { users: [], groups: ['x'] }, 'hash'), false);
    });
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
