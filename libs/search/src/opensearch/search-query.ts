import type { API, Types } from '@opensearch-project/opensearch';
import { normalizeUserIdentifier } from '@tessera/domain';
import type { ReaderFilter, SearchRequest } from '../search-backend.port';
import { TITLE_AND_TEXT_FIELD } from './index-definition';

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
 * BM25 over title and body as one field (textbook Okapi BM25, Lucene's k1 1.2 and b 0.75), plus a
 * small share of the title's own score, summed (most_fields), so that a title match leads when the
 * bodies match as well. Measured on a real OpenSearch 2.19 node on CISI (nDCG@10): the combined field
 * alone 0.401, with title ^0.1 0.405, ^0.2 0.406, ^0.5 0.392; the v1 query (best_fields over
 * title^1.5, text and word pairs) 0.349. Figures in docs/opensearch.md.
 */
export const SEARCH_FIELDS: readonly string[] = [TITLE_AND_TEXT_FIELD, 'title^0.2'];

/**
 * The body of a `_search` request. The user's text appears only as the `query` of a full-text query:
 * OpenSearch analyzes it as words, so no character in it can change the request's structure.
 */
export function searchBody(workspaceId: string, request: SearchRequest, options: SearchQueryOptions = {}): API.Search_RequestBody {
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
              // The fields' scores summed: the whole document's, plus the title's small bonus.
              type: 'most_fields',
              operator: 'or',
              ...(options.minimumShouldMatch ? { minimum_should_match: options.minimumShouldMatch } : {}),
            },
          },
        ],
        // The alias filters on the workspace already; saying it again here keeps a search inside the
        // workspace even if an alias were ever defined without its filter. Both are filter clauses:
        // they never score.
        filter: [{ term: { workspace_id: workspaceId } }, readerFilter(request.reader)],
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
