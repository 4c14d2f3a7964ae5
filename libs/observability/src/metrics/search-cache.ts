import type { SearchCacheStats } from '@tessera/search';

/** What the search cache metrics read at scrape time (the port's optional SearchBackend.cacheStats(); a type only: no runtime import). */
export type SearchCacheStatsLike = SearchCacheStats;
