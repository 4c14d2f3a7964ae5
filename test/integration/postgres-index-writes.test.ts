/**
 * The PostgreSQL backend's write path: every way of writing postings stores the same rows, concurrent
 * writers to one workspace keep its collection statistics exact, and a failed write leaves nothing.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import type { Database } from '@tessera/persistence';
import { PostgresSearchBackend, prepareDocument, type DocumentInput } from '@tessera/search';
import { MAX_DOCUMENT_LOCKS } from '../../libs/search/src/postgres/index-locks';
import { buildPostings, postingBlocks, type PostingsOfDocument } from '../../libs/search/src/postgres/postings';
import { detectPostingsWriteMethod, newPostingBlock, writePostings, type PostingsWriteMethod } from '../../libs/search/src/postgres/postings-writer';
import { insertWorkspace, openTestDatabase, type DatabaseKind } from '../support/database-harness';
import { blockPostings, expectedPostings, expectedRows, inWorkspace, storedDocuments } from '../support/posting-blocks';

/** Statistics as stored, and as recomputed from the documents themselves. */
async function statistics(dataSource: DataSource, workspaceId: string) {
  const { stored, actual, pks } = await inWorkspace(dataSource, workspaceId, async (em) => {
    const [stored] = await em.query(
      `SELECT doc_count::int, total_title_length::int, total_body_length::int, generation::int FROM workspace_search_stats WHERE workspace_id = $1`,
      [workspaceId],
    );
    const [actual] = await em.query(
      `SELECT count(*)::int AS doc_count, COALESCE(sum(title_length), 0)::int AS total_title_length,
              COALESCE(sum(body_length), 0)::int AS total_body_length
         FROM documents WHERE workspace_id = $1`,
      [workspaceId],
    );
    const pks = new Set((await em.query(`SELECT pk::text FROM documents WHERE workspace_id = $1`, [workspaceId]) as Array<{ pk: string }>).map((d) => d.pk));
    return { stored, actual, pks };
  });
  // Every block holds whole records, and at least one (blockPostings checks).
  const postings = await blockPostings(dataSource, workspaceId);
  return { stored, actual, orphans: postings.filter((p) => !pks.has(p.doc_pk)).length };
}

const SAMPLE: PostingsOfDocument[] = [
  { docPk: '9007199254740993', postings: buildPostings({ title: 'Zebra migration plan', text: 'The zebra herd crossed the river. Alpha zebra leads; the river is wide.' }) },
  { docPk: '17', postings: buildPostings({ title: 'École de Lisboa', text: '東京オフィスの入館方法 and the river crossing, 2026-Q3 plan v2' }) },
];

for (const kind of ['postgres', 'pglite'] as DatabaseKind[]) {
  describe(`PostgreSQL index writes (${kind})`, () => {
    let database: Database;
    let close: () => Promise<void>;
    let backend: PostgresSearchBackend;
    /** Whether row-level security applies to postings for the role the tests connect as. */
    let rowSecurity: boolean;
    /** The methods this database can write postings by, the detected one first. */
    let methods: PostingsWriteMethod[];

    beforeAll(async () => {
      ({ database, close } = await openTestDatabase(kind));
      backend = new PostgresSearchBackend(database.dataSource);
      [{ rowSecurity }] = await database.dataSource.query(`SELECT row_security_active('posting_blocks') AS "rowSecurity"`);
      methods = kind === 'pglite' ? ['insert'] : rowSecurity ? ['staged-copy', 'insert'] : ['copy', 'staged-copy', 'insert'];
    });
    afterAll(async () => close?.());

    it('writes postings by every method it can use as the same blocks', async () => {
      assert.equal(await detectPostingsWriteMethod(database.dataSource), methods[0]);
      for (const method of methods) {
        const ws = await insertWorkspace(database);
        await inWorkspace(database.dataSource, ws, async (em) => writePostings(em, method, ws, await newPostingBlock(em), SAMPLE));
        assert.deepEqual(await blockPostings(database.dataSource, ws), expectedRows(SAMPLE), method);
        // One row per distinct term, and the database's own order for terms (COLLATE "C") is the one the writer sorts by.
        const terms: Array<{ term: string }> = await inWorkspace(database.dataSource, ws, (em) =>
          em.query(`SELECT term FROM posting_blocks WHERE workspace_id = $1 ORDER BY term`, [ws]));
        assert.deepEqual(terms.map((t) => t.term), [...postingBlocks(SAMPLE).terms], method);
      }
    });

    it('rolls back a postings write that fails, and the connection serves the next one', async () => {
      const ws = await insertWorkspace(database);
      // The same block written twice: the second write's rows collide with the first's.
      const twice = (method: PostingsWriteMethod) => async (em: EntityManager) => {
        const block = await newPostingBlock(em);
        await writePostings(em, method, ws, block, SAMPLE);
        await writePostings(em, method, ws, block, [SAMPLE[1]!]);
      };
      for (const method of methods) {
        await assert.rejects(inWorkspace(database.dataSource, ws, twice(method)), /duplicate key|posting_blocks_pkey/, method);
      }
      expect(await blockPostings(database.dataSource, ws)).toStrictEqual([]);
      await inWorkspace(database.dataSource, ws, async (em) => writePostings(em, methods[0]!, ws, await newPostingBlock(em), SAMPLE));
      assert.equal((await blockPostings(database.dataSource, ws)).length, expectedRows(SAMPLE).length);
    });

    it('stores nothing of a batch that one bad document fails, and leaves the statistics as they were', async () => {
      const ws = await insertWorkspace(database);
      await backend.upsert(ws, [prepareDocument({ id: 'kept', title: 'Kept', text: 'already here' })]);
      const before = await statistics(database.dataSource, ws);
      const good = prepareDocument({ id: 'good', title: 'Good', text: 'a perfectly fine document about rivers' });
      const bad = { ...prepareDocument({ id: 'bad', title: 'Bad', text: 'rivers' }), metadata: { note: 'nul \u0000 inside' } };
      await assert.rejects(backend.upsert(ws, [good, bad]));
      expect(await statistics(database.dataSource, ws)).toStrictEqual(before);
      assert.equal(await backend.get(ws, 'good'), null);
      const terms = (await blockPostings(database.dataSource, ws)).map((r) => r.term);
      assert.ok(!terms.includes('river'), 'no posting of the failed batch');
    });

    it('keeps statistics exact while writers upsert and delete the same ids concurrently', async () => {
      const ws = await insertWorkspace(database);
      const doc = (id: number, version: string): DocumentInput => ({
        id: `doc-${id}`,
        title: `Document ${id} ${version}`,
        text: `${version} `.repeat(1 + ((id * 7) % 13)) + `shared words for document ${id}`,
      });
      let writes = 0;
      const upsert = async (ids: number[], version: string) => {
        const outcomes = await backend.upsert(ws, ids.map((id) => prepareDocument(doc(id, version))));
        if (outcomes.some((o) => o !== 'unchanged')) writes++;
      };
      const remove = async (id: number) => {
        if (await backend.delete(ws, `doc-${id}`)) writes++;
      };
      const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
      for (let round = 0; round < 6; round++) {
        await Promise.all([
          upsert(range(0, 30), `alpha${round}`),
          upsert(range(15, 45).reverse(), `beta${round}`),
          upsert(range(10, 20), round % 2 ? 'gamma' : `alpha${round}`),
          remove(12),
          remove(40 - round),
        ]);
      }
      const { stored, actual, orphans } = await statistics(database.dataSource, ws);
      expect({ doc_count: stored.doc_count, total_title_length: stored.total_title_length, total_body_length: stored.total_body_length }).toStrictEqual(actual);
      assert.equal(stored.generation, writes, 'every write raised the generation once');
      assert.equal(orphans, 0);
      const postings = await blockPostings(database.dataSource, ws);
      expect(postings).toStrictEqual(expectedPostings(await storedDocuments(database.dataSource, ws)));
    });

    it("removes a replaced or deleted document's postings, also when its stored text no longer gives all of them", async () => {
      const ws = await insertWorkspace(database);
      const current = () => storedDocuments(database.dataSource, ws);
      const assertIndexMatches = async (expected: Array<{ pk: string; title: string; text: string }>) => {
        expect(await blockPostings(database.dataSource, ws)).toStrictEqual(expectedPostings(expected));
        const { stored, actual, orphans } = await statistics(database.dataSource, ws);
        expect({ doc_count: stored.doc_count, total_title_length: stored.total_title_length, total_body_length: stored.total_body_length }).toStrictEqual(actual);
        assert.equal(orphans, 0);
      };
      const put = (id: string, title: string, text: string) => backend.upsert(ws, [prepareDocument({ id, title, text })]);
      await backend.upsert(ws, ['a', 'b', 'c', 'd'].map((id) => prepareDocument({ id, title: `Title ${id}`, text: `river ${id} crossing, shared words and ${id}${id}` })));
      for (const d of await current()) assert.equal(d.term_count, buildPostings(d).terms.length, 'counted as written');

      expect(await put('a', 'Title a, rewritten', 'nothing of the river any more: mountains')).toStrictEqual(['updated']);
      assert.equal(await backend.delete(ws, 'b'), true);
      await assertIndexMatches(await current());

      // As if the analyzer had changed since c and d were written: their stored text now gives other terms
      // (and d's count is unknown, as for documents stored before counts were kept).
      const documents = await current();
      await inWorkspace(database.dataSource, ws, async (em) => {
        await em.query(`UPDATE documents SET text = 'different words entirely' WHERE workspace_id = $1 AND external_id = 'c'`, [ws]);
        await em.query(`UPDATE documents SET term_count = NULL WHERE workspace_id = $1 AND external_id = 'd'`, [ws]);
      });
      await assertIndexMatches(documents); // the index still holds what was written
      expect(await put('c', 'Title c', 'river c crossing, new text')).toStrictEqual(['updated']);
      assert.equal(await backend.delete(ws, 'd'), true);
      await assertIndexMatches(await current());
      expect((await current()).map((d) => d.title).sort()).toStrictEqual(['Title a, rewritten', 'Title c']);
    });

    it('lets writers replace and delete documents of one block at once, also when each must scan the whole block', async () => {
      const ws = await insertWorkspace(database);
      const text = (i: number, version: string) => `shared river words ${version} ${'crossing '.repeat(1 + (i % 5))} item${i} ${version}${i}`;
      await backend.upsert(ws, Array.from({ length: 24 }, (_, i) => prepareDocument({ id: `doc-${i}`, title: `Doc ${i}`, text: text(i, 'first') })));
      for (let round = 0; round < 3; round++) {
        // Counts unknown, as for documents stored before they were kept: every removal scans its block.
        await inWorkspace(database.dataSource, ws, (em) => em.query(`UPDATE documents SET term_count = NULL WHERE workspace_id = $1`, [ws]));
        await Promise.all(Array.from({ length: 8 }, (_, w) => {
          const i = 3 * w + (round % 3);
          return w % 4 === 3
            ? backend.delete(ws, `doc-${i}`)
            : backend.upsert(ws, [prepareDocument({ id: `doc-${i}`, title: `Doc ${i}`, text: text(i, `round${round}`) })]);
        }));
      }
      expect(await blockPostings(database.dataSource, ws)).toStrictEqual(expectedPostings(await storedDocuments(database.dataSource, ws)));
      const { stored, actual, orphans } = await statistics(database.dataSource, ws);
      expect({ doc_count: stored.doc_count, total_title_length: stored.total_title_length, total_body_length: stored.total_body_length }).toStrictEqual(actual);
      assert.equal(orphans, 0);
    });

    it('writes a batch of more ids than it locks one by one, beside a concurrent writer, with exact statistics', async () => {
      const ws = await insertWorkspace(database);
      const many = Array.from({ length: MAX_DOCUMENT_LOCKS + 1 }, (_, i) => prepareDocument({ id: `bulk-${i}`, title: `Bulk ${i}`, text: `entry ${i % 17}` }));
      const outcomes = await Promise.all([
        backend.upsert(ws, many),
        backend.upsert(ws, [prepareDocument({ id: 'bulk-3', title: 'Other writer', text: 'a different text' })]),
      ]);
      assert.equal(outcomes[0].length, many.length);
      const { stored, actual, orphans } = await statistics(database.dataSource, ws);
      expect({ doc_count: stored.doc_count, total_title_length: stored.total_title_length, total_body_length: stored.total_body_length }).toStrictEqual(actual);
      assert.equal(actual.doc_count, many.length);
      assert.equal(orphans, 0);
    });

    if (kind === 'postgres') {
      it('copies through a staging table where row-level security applies to postings, and never around the policy', async () => {
        const ws = await insertWorkspace(database);
        const other = await insertWorkspace(database);
        const underPolicy = async (em: EntityManager) => {
          await em.query(`SELECT set_config('tessera.workspace_id', $1, true)`, [ws]);
          assert.equal(await detectPostingsWriteMethod(em), 'staged-copy');
          await em.query('SAVEPOINT direct');
          await assert.rejects(writePostings(em, 'copy', ws, '1', SAMPLE), /row-level security/);
          await em.query('ROLLBACK TO SAVEPOINT direct');
          await writePostings(em, 'staged-copy', ws, '1', SAMPLE);
          const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM posting_blocks WHERE workspace_id = $1`, [ws]);
          assert.equal(n, postingBlocks(SAMPLE).terms.length);
          await em.query('SAVEPOINT other_workspace');
          await assert.rejects(writePostings(em, 'staged-copy', other, '2', SAMPLE), /row-level security/);
          await em.query('ROLLBACK TO SAVEPOINT other_workspace');
        };
        if (rowSecurity) {
          await database.dataSource.transaction(underPolicy);
          return;
        }
        // Connected as a superuser: row security never applies to it, so act as an ordinary role under a
        // policy of this test's own, all in one transaction that is rolled back.
        const role = `tessera_writer_${Date.now().toString(36)}`;
        try {
          await database.dataSource.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
          await database.dataSource.query(`GRANT SELECT, INSERT, DELETE ON posting_blocks TO ${role}`);
          await database.dataSource.transaction(async (em) => {
            await em.query(`ALTER TABLE posting_blocks ENABLE ROW LEVEL SECURITY`);
            await em.query(`CREATE POLICY ${role}_scope ON posting_blocks TO ${role}
                              USING (workspace_id = current_setting('tessera.workspace_id', true)::uuid)`);
            await em.query(`SET LOCAL ROLE ${role}`);
            await underPolicy(em);
            throw new Error('roll back');
          }).catch((error: unknown) => {
            if (!(error instanceof Error && error.message === 'roll back')) throw error;
          });
        } finally {
          await database.dataSource.query(`DROP OWNED BY ${role}`).catch(() => undefined);
          await database.dataSource.query(`DROP ROLE IF EXISTS ${role}`);
        }
      });
    }
  });
}
