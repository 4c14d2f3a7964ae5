import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { SearchBackend, SearchCacheStats } from '@tessera/search';
import { parseExposition } from '../../testing/exposition';
import { instrumentSearchBackend } from './instrument-search-backend';
import type { SearchCacheStatsLike } from './search-cache';
import { TesseraMetrics } from './tessera-metrics';

const scrape = async (metrics: TesseraMetrics) => parseExposition(await metrics.scrape());

function stats(overrides: Partial<SearchCacheStatsLike> = {}): SearchCacheStatsLike {
  return {
    postingsBytes: 1_000,
    postingsBudgetBytes: 128 * 1024 * 1024,
    documentBytes: 250,
    documentBudgetBytes: 64 * 1024 * 1024,
    listening: true,
    answers: { search: { memory: 7, database: 3 }, fetch: { memory: 2, database: 1 } },
    ...overrides,
  };
}

describe('search cache metrics', () => {
  it('render bytes against budgets, listening and answers by tool and source, read at scrape time', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    // Typed as @tessera/search's own SearchCacheStats: tsc checks that the structural type accepts it.
    let current: SearchCacheStats = stats();
    metrics.watchSearchCache(() => current);
    let e = await scrape(metrics);
    assert.equal(e.find('tessera_search_cache_bytes', { cache: 'postings' })[0]?.value, 1_000);
    assert.equal(e.find('tessera_search_cache_bytes', { cache: 'documents' })[0]?.value, 250);
    assert.equal(e.find('tessera_search_cache_budget_bytes', { cache: 'postings' })[0]?.value, 128 * 1024 * 1024);
    assert.equal(e.find('tessera_search_cache_budget_bytes', { cache: 'documents' })[0]?.value, 64 * 1024 * 1024);
    expect(e.find('tessera_index_changes_listening').map((s) => s.value)).toStrictEqual([1]);
    expect(e.find('tessera_search_answers_total').map((s) => [s.labels.tool, s.labels.source, s.value]).sort()).toStrictEqual([['fetch', 'database', 1], ['fetch', 'memory', 2], ['search', 'database', 3], ['search', 'memory', 7]]);
    assert.equal(e.types.get('tessera_search_answers_total'), 'counter');

    current = stats({ listening: false, postingsBytes: 4_096, answers: { search: { memory: 9, database: 30 }, fetch: { memory: 2, database: 1 } } });
    e = await scrape(metrics);
    expect(e.find('tessera_index_changes_listening').map((s) => s.value)).toStrictEqual([0]);
    assert.equal(e.find('tessera_search_cache_bytes', { cache: 'postings' })[0]?.value, 4_096);
    assert.equal(e.find('tessera_search_answers_total', { tool: 'search', source: 'database' })[0]?.value, 30);
  });

  it('leaves listening absent where nothing listens (cache off, PGlite), and every series absent without a source', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    let e = await scrape(metrics);
    for (const name of ['tessera_search_cache_bytes', 'tessera_search_cache_budget_bytes', 'tessera_index_changes_listening', 'tessera_search_answers_total']) {
      assert.equal(e.find(name).length, 0, `${name} without a source`);
    }
    const stop = metrics.watchSearchCache(() => stats({ listening: null, postingsBudgetBytes: 0, documentBudgetBytes: 0, postingsBytes: 0, documentBytes: 0 }));
    e = await scrape(metrics);
    assert.equal(e.find('tessera_index_changes_listening').length, 0);
    assert.equal(e.find('tessera_search_cache_budget_bytes', { cache: 'postings' })[0]?.value, 0);
    assert.equal(e.find('tessera_search_answers_total', { tool: 'fetch', source: 'memory' })[0]?.value, 2);
    stop();
    e = await scrape(metrics);
    assert.equal(e.find('tessera_search_cache_bytes').length, 0);
    assert.equal(e.find('tessera_search_answers_total').length, 0);
  });

  it('reports the latest source only, and omits the series when the source throws', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    const stopFirst = metrics.watchSearchCache(() => stats({ postingsBytes: 1 }));
    metrics.watchSearchCache(() => stats({ postingsBytes: 2 }));
    stopFirst(); // no longer the source: stopping it leaves the second in place
    let e = await scrape(metrics);
    expect(e.find('tessera_search_cache_bytes', { cache: 'postings' }).map((s) => s.value)).toStrictEqual([2]);
    metrics.watchSearchCache(() => {
      throw new Error('closed');
    });
    e = await scrape(metrics);
    assert.equal(e.find('tessera_search_cache_bytes').length, 0);
    assert.equal(e.find('tessera_index_changes_listening').length, 0);
  });
});

describe('instrumentSearchBackend and the search caches', () => {
  it('watches a backend that has cacheStats, reading the backend itself (the read is not timed as an operation)', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    const backend = {
      name: 'postgres',
      async ping() {},
      cacheStats(this: { name: string }): SearchCacheStats {
        assert.equal(this.name, 'postgres');
        return stats({ listening: false });
      },
    } as unknown as SearchBackend;
    instrumentSearchBackend(backend, metrics);
    const e = await scrape(metrics);
    expect(e.find('tessera_index_changes_listening').map((s) => s.value)).toStrictEqual([0]);
    assert.equal(e.find('tessera_search_answers_total', { tool: 'search', source: 'memory' })[0]?.value, 7);
    assert.equal(e.find('tessera_search_backend_duration_seconds_count').length, 0);
  });

  it('watches nothing for a backend without cacheStats (OpenSearch)', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    instrumentSearchBackend({ name: 'opensearch', async ping() {} } as unknown as SearchBackend, metrics);
    const e = await scrape(metrics);
    assert.equal(e.find('tessera_search_cache_bytes').length, 0);
    assert.equal(e.find('tessera_index_changes_listening').length, 0);
  });
});
