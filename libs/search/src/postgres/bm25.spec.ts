import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { candidateWindow, SEARCH_SQL } from './bm25';
import { PostgresSearchBackend } from './postgres-search.backend';

const READER = { identifiers: ['ana@example.com'], groups: [] };

/** A DataSource whose query() answers search calls from a script and records their parameters. */
function scriptedBackend(answers: Array<Array<{ id: string; candidates: number }>>) {
  const windows: Array<number | null> = [];
  const dataSource = {
    async query(sql: string, parameters: unknown[]) {
      assert.equal(sql, SEARCH_SQL);
      windows.push(parameters[6] as number | null);
      const rows = answers.shift() ?? [];
      return rows.map((r, i) => ({ id: r.id, title: r.id, url: null, score: 10 - i, candidates: String(r.candidates) }));
    },
  } as unknown as DataSource;
  return { backend: new PostgresSearchBackend(dataSource), windows };
}

const hits = (n: number, candidates: number) => Array.from({ length: n }, (_, i) => ({ id: `d${i}`, candidates }));

describe('PostgresSearchBackend.search candidate window', () => {
  it('answers from the best candidates alone when enough of them are readable', async () => {
    const { backend, windows } = scriptedBackend([hits(10, 5_000)]);
    const result = await backend.search('ws', { query: 'budget report', reader: READER, limit: 10 });
    assert.equal(result.length, 10);
    assert.deepEqual(windows, [candidateWindow(10)]);
  });

  it('does not ask again when every candidate was already checked', async () => {
    const { backend, windows } = scriptedBackend([hits(3, 3)]);
    assert.equal((await backend.search('ws', { query: 'budget', reader: READER, limit: 10 })).length, 3);
    assert.deepEqual(windows, [candidateWindow(10)]);
  });

  it('checks every candidate when too few of the best were readable, so the ACL applies before the limit', async () => {
    const { backend, windows } = scriptedBackend([hits(4, 500), hits(10, 500)]);
    assert.equal((await backend.search('ws', { query: 'budget', reader: READER, limit: 10 })).length, 10);
    assert.deepEqual(windows, [candidateWindow(10), null]);
  });

  it('asks again when nothing in the window was readable', async () => {
    const { backend, windows } = scriptedBackend([[], hits(2, 90)]);
    assert.equal((await backend.search('ws', { query: 'budget', reader: READER, limit: 10 })).length, 2);
    assert.deepEqual(windows, [candidateWindow(10), null]);
  });

  it('does not query at all for a query without searchable words', async () => {
    const { backend, windows } = scriptedBackend([]);
    assert.deepEqual(await backend.search('ws', { query: 'the and of', reader: READER, limit: 10 }), []);
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
