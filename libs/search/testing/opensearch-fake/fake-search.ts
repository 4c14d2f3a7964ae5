import { badRequest } from './fake-errors';
import type { FakeIndex } from './fake-index';
import { compileQuery } from './fake-query';

interface Hit {
  readonly index: string;
  readonly id: string;
  readonly score: number;
  readonly source: Record<string, unknown>;
}

type SortKey = { readonly field: string; readonly descending: boolean };

const SEARCH_BODY_KEYS = ['size', 'from', 'query', 'sort', '_source', 'track_total_hits', 'timeout', 'track_scores'];

/** `_search` over the given indices: query, sort, from/size, _source filtering, hit shapes as OpenSearch's. */
export function runSearch(indices: readonly FakeIndex[], body: Record<string, unknown>, sourceParam?: string): Record<string, unknown> {
  const unknown = Object.keys(body).find((key) => !SEARCH_BODY_KEYS.includes(key));
  if (unknown) throw badRequest(`Unknown key for a START_OBJECT in [${unknown}].`);
  const sort = parseSort(body.sort);
  for (const key of sort) checkSortable(indices, key.field);
  const hits: Hit[] = [];
  for (const index of indices) {
    const matcher = compileQuery(index, body.query ?? { match_all: {} });
    for (const [id, doc] of index.searchableDocuments()) {
      const score = matcher(doc);
      if (score !== null) hits.push({ index: index.name, id, score, source: doc.source });
    }
  }
  hits.sort((a, b) => compareHits(a, b, sort));
  const from = Number(body.from ?? 0);
  const size = Number(body.size ?? 10);
  const page = hits.slice(from, from + size);
  const sortsByScore = sort.some((key) => key.field === '_score');
  const sourceSpec = body._source ?? (sourceParam === undefined ? undefined : sourceParam.split(','));
  return {
    took: 1,
    timed_out: false,
    _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 },
    hits: {
      ...(body.track_total_hits === false ? {} : { total: { value: hits.length, relation: 'eq' } }),
      max_score: sortsByScore && hits.length > 0 ? Math.max(...hits.map((h) => h.score)) : null,
      hits: page.map((hit) => ({
        _index: hit.index,
        _id: hit.id,
        _score: sortsByScore ? hit.score : null,
        ...(sourceSpec === false ? {} : { _source: filterSource(hit.source, sourceSpec) }),
        ...(body.sort === undefined ? {} : { sort: sort.map((key) => sortValue(hit, key.field)) }),
      })),
    },
  };
}

/** `_source` filtering: true/undefined keeps everything; a list (or {includes}) keeps those top-level fields. */
export function filterSource(source: Record<string, unknown>, spec: unknown): Record<string, unknown> {
  if (spec === undefined || spec === true) return source;
  const includes = Array.isArray(spec) ? spec : typeof spec === 'string' ? [spec] : ((spec as { includes?: string[] }).includes ?? []);
  return Object.fromEntries(Object.entries(source).filter(([key]) => includes.includes(key)));
}

function parseSort(spec: unknown): SortKey[] {
  if (spec === undefined) return [{ field: '_score', descending: true }];
  return ([] as unknown[]).concat(spec).map((entry) => {
    if (typeof entry === 'string') return { field: entry, descending: entry === '_score' };
    const [field, order] = Object.entries(entry as Record<string, unknown>)[0] ?? [];
    if (field === undefined) throw badRequest('malformed sort');
    const direction = typeof order === 'string' ? order : (order as { order?: string } | undefined)?.order;
    return { field, descending: direction === undefined ? field === '_score' : direction === 'desc' };
  });
}

function checkSortable(indices: readonly FakeIndex[], field: string): void {
  if (field === '_score' || field === '_doc') return;
  for (const index of indices) {
    const type = index.mapping(field)?.type;
    if (type === 'text') {
      throw badRequest(`Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index.`, 'illegal_argument_exception');
    }
    if (type === undefined) throw badRequest(`No mapping found for [${field}] in order to sort on`, 'query_shard_exception');
  }
}

function sortValue(hit: Hit, field: string): unknown {
  if (field === '_score') return hit.score;
  const value = hit.source[field];
  return Array.isArray(value) ? value[0] : value;
}

function compareHits(a: Hit, b: Hit, sort: readonly SortKey[]): number {
  for (const key of sort) {
    const left = sortValue(a, key.field);
    const right = sortValue(b, key.field);
    if (left === right) continue;
    // Missing values sort last in both directions, as OpenSearch's default `missing: _last`.
    if (left === undefined || left === null) return 1;
    if (right === undefined || right === null) return -1;
    const order = (left as number | string) < (right as number | string) ? -1 : 1;
    return key.descending ? -order : order;
  }
  return 0;
}
