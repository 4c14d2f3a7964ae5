import type { SearchCacheStats } from '@tessera/search';

/** What the search cache metrics read at scrape time (PostgresSearchBackend.cacheStats(); a type only: no runtime import). */
export type SearchCacheStatsLike = SearchCacheStats;

/** A backend that can report its caches (PostgresSearchBackend has `cacheStats()`; OpenSearch has none). */
export function cacheStatsReaderOf(backend: object): (() => SearchCacheStatsLike) | undefined {
  const cacheStats: unknown = (backend as { cacheStats?: unknown }).cacheStats;
  if (typeof cacheStats !== 'function') return undefined;
  return () => (cacheStats as () => SearchCacheStatsLike).call(backend);
}
