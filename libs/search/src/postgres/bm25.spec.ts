import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { candidateWindow, SEARCH_SQL } from './bm25';
import { PostgresSearchBackend } from './postgres-search.backend';

const READER = { identifiers: ['ana@example.com'], groups: [] };

const WORKSPACE = '0d9c2b1e-4f6a-4c3b-9e1d-2a7b8c9d0e1f';

/**
 * A DataSource (no pg pool, so the backend goes through transaction()) whose queries answer the SQL
 * ranking path from a script and record its parameters; the postings cache is off, so SQL ranks.
 */
function scriptedBackend(answers: Array<Array<{ id: string; candidates: number }>>) {
  const windows: Array<number | null> = [];
  const scopes: string[] = [];
  const em = {
    async query(sql: string, parameters: unknown[]) {
      if (sql.includes('set_config')) {
        scopes.push(parameters[0] as string);
        return [];
      }
      assert.equal(sql, SEARCH_SQL);
      windows.push(parameters[6] as number | null);
      const rows = answers.shift() ?? [];
      return rows.map((r, i) => ({ id: r.id, title: r.id, url: null, score: 10 - i, candidates: String(r.candidates) }));
    },
  };
  const dataSource = { transaction: async (_isolation: string, work: (m: typeof em) => Promise<unknown>) => work(em) } as unknown as DataSource;
  return { backend: new PostgresSearchBackend(dataSource, { postingsCacheBytes: 0 }), windows, scopes };
}

const hits = (n: number, candidates: number) => Array.from({ length: n }, (_, i) => ({ id: `d${i}`, candidates }));

describe('PostgresSearchBackend.search candidate window', () => {
  it('answers from the best candidates alone when enough of them are readable', async () => {
    const { backend, windows } = scriptedBackend([hits(10, 5_000)]);
    const result = await backend.search(WORKSPACE, { query: 'budget report', reader: READER, limit: 10 });
    assert.equal(result.length, 10);
    assert.deepEqual(windows, [candidateWindow(10)]);
  });

  it('ranks inside a transaction scoped to the workspace (row-level security)', async () => {
    const { backend, scopes } = scriptedBackend([hits(10, 5_000)]);
    await backend.search(WORKSPACE, { query: 'budget report', reader: READER, limit: 10 });
    assert.deepEqual(scopes, [WORKSPACE]);
  });

  it('does not ask again when every candidate was already checked', async () => {
    const { backend, windows } = scriptedBackend([hits(3, 3)]);
    assert.equal((await backend.search(WORKSPACE, { query: 'budget', reader: READER, limit: 10 })).length, 3);
    assert.deepEqual(windows, [candidateWindow(10)]);
  });

  it('checks every candidate when too few of the best were readable, so the ACL applies before the limit', async () => {
    const { backend, windows } = scriptedBackend([hits(4, 500), hits(10, 500)]);
    assert.equal((await backend.search(WORKSPACE, { query: 'budget', reader: READER, limit: 10 })).length, 10);
    assert.deepEqual(windows, [candidateWindow(10), null]);
  });

  it('asks again when nothing in the window was readable', async () => {
    const { backend, windows } = scriptedBackend([[], hits(2, 90)]);
    assert.equal((await backend.search(WORKSPACE, { query: 'budget', reader: READER, limit: 10 })).length, 2);
    assert.deepEqual(windows, [candidateWindow(10), null]);
  });

  it('does not query at all for a query without searchable words', async () => {
    const { backend, windows } = scriptedBackend([]);
    assert.deepEqual(await backend.search(WORKSPACE, { query: 'the and of', reader: READER, limit: 10 }), []);
    assert.deepEqual(windows, []);
  });
});

describe('SEARCH_SQL', () => {
  it('computes in float8: no bare decimal literal that would switch PostgreSQL to numeric', () => {
    const bareDecimals = SEARCH_SQL.match(/(?<![\w.])\d+\.\d+(?!\d*::float8)/g) ?? [];
    assert.deepEqual(bareDecimals, []);
  });

  it('checks at least the limit, with room for documents the reader may not see', () => {
    for (const limit of [1, 10, 50, 100]) assert.ok(candidateWindow(limit) > limit);
  });
});
