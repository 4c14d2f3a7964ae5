import { badRequest } from './fake-errors';
import type { FakeIndex } from './fake-index';

/** A searchable document as of the last refresh. */
export interface SearchableDocument {
  readonly source: Record<string, unknown>;
  readonly fields: Map<string, { tf: Map<string, number>; length: number }>;
}

/** null: no match; a number: the document's score for this query. */
export type Matcher = (doc: SearchableDocument) => number | null;

// Lucene's BM25Similarity defaults, which OpenSearch uses for text fields.
const K1 = 1.2;
const B = 0.75;

type Spec = Record<string, unknown>;

/**
 * Compiles the query DSL the adapter uses — bool, term, terms, ids, match_all, match, multi_match
 * (best_fields / most_fields) — into a matcher scored with BM25 per field. Anything else is a 400,
 * as an unknown query is for OpenSearch, so the fake never silently ignores part of a query.
 */
export function compileQuery(index: FakeIndex, query: unknown): Matcher {
  const entries = Object.entries(asObject(query, 'query'));
  if (entries.length !== 1) throw badRequest('[_na] query malformed, must start with start_object and have a single query name');
  const [kind, spec] = entries[0]!;
  switch (kind) {
    case 'bool':
      return compileBool(index, asObject(spec, kind));
    case 'term':
      return compileTerm(index, asObject(spec, kind), false);
    case 'terms':
      return compileTerm(index, asObject(spec, kind), true);
    case 'ids': {
      const values = new Set((asObject(spec, kind).values as string[]) ?? []);
      return (doc) => (values.has(String(doc.source.id)) ? 1 : null);
    }
    case 'match_all':
      return () => 1;
    case 'match':
      return compileMatch(index, asObject(spec, kind));
    case 'multi_match':
      return compileMultiMatch(index, asObject(spec, kind));
    default:
      throw badRequest(`unknown query [${kind}]`);
  }
}

function compileBool(index: FakeIndex, spec: Spec): Matcher {
  allowKeys('bool', spec, ['must', 'filter', 'should', 'must_not', 'minimum_should_match', 'boost']);
  const clauses = (key: string) => ([] as unknown[]).concat(spec[key] ?? []).map((q) => compileQuery(index, q));
  const [must, filter, should, mustNot] = [clauses('must'), clauses('filter'), clauses('should'), clauses('must_not')];
  const required = must.length + filter.length;
  let minimum = spec.minimum_should_match !== undefined ? minimumShouldMatch(should.length, spec.minimum_should_match) : 0;
  // Lucene: a boolean query with only SHOULD clauses matches documents that match at least one.
  if (required === 0 && should.length > 0) minimum = Math.max(minimum, 1);
  const boost = Number(spec.boost ?? 1);
  return (doc) => {
    let score = 0;
    for (const clause of must) {
      const s = clause(doc);
      if (s === null) return null;
      score += s;
    }
    if (filter.some((clause) => clause(doc) === null)) return null;
    if (mustNot.some((clause) => clause(doc) !== null)) return null;
    let matched = 0;
    for (const clause of should) {
      const s = clause(doc);
      if (s !== null) {
        matched++;
        score += s;
      }
    }
    return matched < minimum ? null : score * boost;
  };
}

function compileTerm(index: FakeIndex, spec: Spec, many: boolean): Matcher {
  const { boost, ...fields } = spec;
  const entries = Object.entries(fields);
  if (entries.length !== 1) throw badRequest(`[${many ? 'terms' : 'term'}] query doesn't support multiple fields`);
  const [field, raw] = entries[0]!;
  const mapping = index.mapping(field);
  if (mapping?.index === false) throw badRequest(`Cannot search on field [${field}] since it is not indexed.`, 'illegal_argument_exception');
  const wanted = many ? (raw as unknown[]) : [typeof raw === 'object' && raw !== null ? (raw as Spec).value : raw];
  if (!Array.isArray(wanted)) throw badRequest('[terms] query requires an array of values');
  const normalize = (v: unknown) => (mapping?.normalizer ? String(v).toLowerCase() : String(v));
  const targets = new Set(wanted.map(normalize));
  const score = Number(boost ?? 1);
  return (doc) => {
    const value = doc.source[field];
    const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    return values.some((v) => targets.has(normalize(v))) ? score : null;
  };
}

function compileMatch(index: FakeIndex, spec: Spec): Matcher {
  const entries = Object.entries(spec);
  if (entries.length !== 1) throw badRequest('[match] query doesn\'t support multiple fields');
  const [field, raw] = entries[0]!;
  const options = typeof raw === 'object' && raw !== null ? (raw as Spec) : { query: raw };
  allowKeys('match', options, ['query', 'operator', 'minimum_should_match', 'boost']);
  const scorer = fieldScorer(index, field, String(options.query), options);
  return (doc) => {
    const s = scorer(doc);
    return s === null ? null : s * Number(options.boost ?? 1);
  };
}

function compileMultiMatch(index: FakeIndex, spec: Spec): Matcher {
  allowKeys('multi_match', spec, ['query', 'fields', 'type', 'tie_breaker', 'operator', 'minimum_should_match', 'boost']);
  const type = spec.type ?? 'best_fields';
  if (type !== 'best_fields' && type !== 'most_fields') throw badRequest(`the fake does not implement multi_match type [${String(type)}]`);
  const tieBreaker = type === 'most_fields' ? 1 : Number(spec.tie_breaker ?? 0);
  const scorers = ((spec.fields as string[]) ?? []).map((entry) => {
    const [field, boost] = entry.split('^');
    return { scorer: fieldScorer(index, field!, String(spec.query), spec), boost: boost === undefined ? 1 : Number(boost) };
  });
  return (doc) => {
    const matched: number[] = [];
    for (const { scorer, boost } of scorers) {
      const score = scorer(doc);
      if (score !== null) matched.push(score * boost);
    }
    if (matched.length === 0) return null;
    const best = Math.max(...matched);
    const total = matched.reduce((a, b) => a + b, 0);
    return (best + tieBreaker * (total - best)) * Number(spec.boost ?? 1);
  };
}

/** A match query on one field: OR (or AND) of the analyzed query terms, each scored with BM25. */
function fieldScorer(index: FakeIndex, field: string, query: string, options: Spec): Matcher {
  // multi_match ignores fields that are not mapped as text, as OpenSearch does with `lenient` lookups.
  if (!index.isTextField(field)) return () => null;
  const terms = index.analyzeFor(field, query);
  if (terms.length === 0) return () => null;
  const required =
    options.operator === 'and'
      ? terms.length
      : Math.max(1, options.minimum_should_match === undefined ? 1 : minimumShouldMatch(terms.length, options.minimum_should_match));
  const stats = index.stats(field);
  const weights = terms.map((term) => {
    const df = stats.documentFrequency.get(term) ?? 0;
    return { term, idf: Math.log(1 + (stats.docCount - df + 0.5) / (df + 0.5)) };
  });
  return (doc) => {
    const terms = doc.fields.get(field);
    if (!terms) return null;
    const norm = K1 * (1 - B + (B * terms.length) / (stats.averageLength || 1));
    let matched = 0;
    let score = 0;
    for (const { term, idf } of weights) {
      const tf = terms.tf.get(term);
      if (!tf) continue;
      matched++;
      score += (idf * tf) / (tf + norm);
    }
    return matched >= required ? score : null;
  };
}

/** OpenSearch's minimum_should_match: integers, percentages, negatives and "n<spec" conditions. */
export function minimumShouldMatch(optionalClauses: number, spec: unknown): number {
  const text = String(spec).trim();
  if (text.includes('<')) {
    let result = optionalClauses;
    for (const part of text.split(/\s+/)) {
      const [bound, sub] = part.split('<');
      if (optionalClauses <= Number(bound)) return result;
      result = minimumShouldMatch(optionalClauses, sub);
    }
    return result;
  }
  let result: number;
  if (text.endsWith('%')) {
    const calculated = Math.trunc((optionalClauses * Number(text.slice(0, -1))) / 100);
    result = calculated < 0 ? optionalClauses + calculated : calculated;
  } else {
    const calculated = Number(text);
    if (!Number.isInteger(calculated)) throw badRequest(`Invalid minimum_should_match [${text}]`, 'illegal_argument_exception');
    result = calculated < 0 ? optionalClauses + calculated : calculated;
  }
  return Math.max(result, 0);
}

function asObject(value: unknown, what: string): Spec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`[${what}] malformed query, expected an object`);
  return value as Spec;
}

function allowKeys(query: string, spec: Spec, allowed: readonly string[]): void {
  const unknown = Object.keys(spec).find((key) => !allowed.includes(key));
  if (unknown) throw badRequest(`[${query}] query does not support [${unknown}]`);
}
