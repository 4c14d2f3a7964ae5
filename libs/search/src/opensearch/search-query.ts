import type { API, Types } from '@opensearch-project/opensearch';
import { normalizeUserIdentifier } from '@tessera/domain';
import type { ReaderFilter, SearchRequest } from '../search-backend.port';

/**
 * No `minimum_should_match` by default: a document matching any one query term is a candidate and
 * BM25 decides the order. Deep Research sends sentence-long queries (CISI's judged ones have a
 * median of 26 terms), and on those every floor measured costs relevance — "2<-25%" (all but a
 * quarter of the terms) leaves 57 of 76 CISI queries with no result at all, and even "10%" lowers
 * nDCG@10 — because in a best_fields query the floor applies per field, so a short title can never
 * reach it. Figures in docs/opensearch.md. OPENSEARCH_MINIMUM_SHOULD_MATCH sets one anyway.
 */
export interface SearchQueryOptions {
  readonly minimumShouldMatch?: string;
}

/**
 * Titles are boosted, moderately: with best_fields the title's own BM25 score (a short field, so a
 * high one) competes with the body's, and on CISI through the contract fake nDCG@10 goes 0.385 at
 * ^1, 0.374 at ^1.5, 0.339 at ^2, 0.303 at ^3 as the title crowds out better body matches. 1.5 keeps
 * titles ahead when they match as well as a body does (the contract suite's "title match leads").
 * text.shingles (adjacent word pairs) adds a bonus for documents that contain the query's phrases.
 */
export const SEARCH_FIELDS: readonly string[] = ['title^1.5', 'text', 'text.shingles'];

/**
 * The body of a `_search` request. The user's text appears only as the `query` of a full-text query:
 * OpenSearch analyzes it as words, so no character in it can change the request's structure.
 */
export function searchBody(request: SearchRequest, options: SearchQueryOptions = {}): API.Search_RequestBody {
  return {
    size: request.limit,
    // Counting every match costs a full pass over the postings; the tools never show a total.
    track_total_hits: false,
    _source: ['id', 'title', 'url'],
    query: {
      bool: {
        must: [
          {
            multi_match: {
              query: request.query,
              fields: [...SEARCH_FIELDS],
              // The best field's score plus a share of the others: a title hit is not drowned by the
              // body's own score for the same words, and word pairs (text.shingles) add a bonus.
              type: 'best_fields',
              tie_breaker: 0.3,
              operator: 'or',
              ...(options.minimumShouldMatch ? { minimum_should_match: options.minimumShouldMatch } : {}),
            },
          },
        ],
        filter: [readerFilter(request.reader)],
        // Quarantined documents are stored for review but never served.
        must_not: [{ term: { quarantined: true } }],
      },
    },
    // Equal scores are ordered by id so that the same query always lists the same documents.
    sort: [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }],
  };
}

/** Public documents, or those naming one of the reader's identifiers or groups: the same rule as `canRead`. */
export function readerFilter(reader: ReaderFilter): Types.Common_QueryDsl.QueryContainer {
  const identifiers = [...new Set(reader.identifiers.map(normalizeUserIdentifier))];
  const groups = [...new Set(reader.groups)];
  const should: Types.Common_QueryDsl.QueryContainer[] = [{ term: { acl_public: true } }];
  if (identifiers.length > 0) should.push({ terms: { acl_users: identifiers } });
  if (groups.length > 0) should.push({ terms: { acl_groups: groups } });
  return { bool: { should, minimum_should_match: 1 } };
}
