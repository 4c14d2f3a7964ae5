/**
 * What the search cache metrics read at scrape time: the shape of @tessera/search's SearchCacheStats
 * (PostgresSearchBackend.cacheStats()), restated here so that observability does not import search.
 */
export interface SearchCacheStatsLike {
  readonly postingsBytes: number;
  readonly postingsBudgetBytes: number;
  readonly documentBytes: number;
  readonly documentBudgetBytes: number;
  /** Whether index change announcements are heard now; null where nothing listens (cache off, PGlite). */
  readonly listening: boolean | null;
  /** Totals since the process started: answers from memory alone vs. with a database round trip. */
  readonly answers: Readonly<Record<'search' | 'fetch', Readonly<Record<'memory' | 'database', number>>>>;
}

/** A backend that can report its caches (PostgresSearchBackend has `cacheStats()`; OpenSearch has none). */
export function cacheStatsReaderOf(backend: object): (() => SearchCacheStatsLike) | undefined {
  const cacheStats: unknown = (backend as { cacheStats?: unknown }).cacheStats;
  if (typeof cacheStats !== 'function') return undefined;
  return () => (cacheStats as () => SearchCacheStatsLike).call(backend);
}
