import type { WeightedTerm } from '../analysis';
import type { ReaderFilter, SearchHit } from '../search-backend.port';
import { candidateWindow } from './bm25';
import { Candidates, CollectionStats, LoadedPostings, PostingsCache, TermPostings, WorkspaceView } from './postings-cache';

/** Runs one statement (prepared by name) and returns its rows. */
export type StatementRunner = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/**
 * $1 workspace, $2 terms. One row per term, each with the collection statistics of the same snapshot
 * and the term's postings as parallel arrays (NULL arrays: no postings). No rows: no statistics row,
 * so the workspace has never held a document.
 */
const LOAD_POSTINGS_SQL = `
SELECT st.generation::float8 AS generation, st.doc_count::float8 AS doc_count,
       st.total_title_length::float8 AS total_title_length, st.total_body_length::float8 AS total_body_length,
       q.term, p.doc_pks, p.tf_title, p.tf_body, p.title_length, p.body_length
  FROM workspace_search_stats st
 CROSS JOIN unnest($2::text[]) AS q(term)
 CROSS JOIN LATERAL (
   SELECT array_agg(doc_pk::float8) AS doc_pks, array_agg(tf_title::int4) AS tf_title, array_agg(tf_body) AS tf_body,
          array_agg(title_length) AS title_length, array_agg(body_length) AS body_length
     FROM postings WHERE workspace_id = $1 AND term = q.term
 ) p
 WHERE st.workspace_id = $1`;

/**
 * $1 workspace, $2 candidate primary keys, $3 reader identifiers, $4 reader groups. The readable ones,
 * and the index generation of the same snapshot (on every row; one row with NULL document columns
 * when none is readable). No rows: the workspace has no statistics row.
 */
const READABLE_CANDIDATES_SQL = `
SELECT st.generation::float8 AS generation, d.pk::float8 AS pk, d.external_id AS id, d.title, d.url
  FROM workspace_search_stats st
  LEFT JOIN LATERAL (
    SELECT d.pk, d.external_id, d.title, d.url
      FROM documents d
     WHERE d.pk = ANY($2::bigint[]) AND d.workspace_id = $1 AND NOT d.quarantined
       AND ((cardinality(d.acl_users) = 0 AND cardinality(d.acl_groups) = 0)
            OR d.acl_users && $3::text[] OR d.acl_groups && $4::text[])
  ) d ON true
 WHERE st.workspace_id = $1`;

interface LoadRow {
  generation: number;
  doc_count: number;
  total_title_length: number;
  total_body_length: number;
  term: string;
  doc_pks: number[] | null;
  tf_title: number[] | null;
  tf_body: number[] | null;
  title_length: number[] | null;
  body_length: number[] | null;
}

interface CandidateRow {
  generation: number;
  pk: number | null;
  id: string | null;
  title: string | null;
  url: string | null;
}

const ATTEMPTS = 3;

/**
 * BM25F search with the terms' postings held in process memory (PostingsCache) and scored there; the
 * database is asked only for postings not yet held and for the few best candidates that the reader
 * may see. That last read also returns the workspace's index generation, from the same snapshot as
 * the documents: when it differs from the generation that was scored, the cached view is dropped
 * and the search runs again, so an answer always reflects one committed state of the index.
 */
export class CachedBm25Search {
  constructor(
    private readonly run: StatementRunner,
    private readonly cache: PostingsCache,
  ) {}

  /** Hits, best first; null when the index kept moving under every attempt (the caller asks SQL). */
  async search(workspaceId: string, terms: readonly WeightedTerm[], reader: ReaderFilter, limit: number): Promise<SearchHit[] | null> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const held = await this.postingsOf(workspaceId, terms);
      if (held === 'empty') return [];
      if (held === null) return null;
      const candidates = held.view.score(held.terms);
      const hits = await this.readableBest(workspaceId, held.view.generation, candidates, reader, limit);
      if (hits !== null) return hits;
      this.cache.drop(workspaceId);
    }
    return null;
  }

  /**
   * Every query term's postings, all from one generation: from the cache, else read (one round trip
   * for all missing terms). 'empty' when the workspace has no statistics; null when the generation
   * moved under every attempt.
   */
  private async postingsOf(
    workspaceId: string,
    terms: readonly WeightedTerm[],
  ): Promise<{ view: WorkspaceView; terms: Array<{ postings: TermPostings; weight: number }> } | 'empty' | null> {
    let view = this.cache.view(workspaceId);
    let held = new Map<string, TermPostings>();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (view) {
        for (const { term } of terms) {
          if (held.has(term)) continue;
          const postings = this.cache.get(view, term);
          if (postings) held.set(term, postings);
        }
      }
      const missing = terms.filter((t) => !held.has(t.term)).map((t) => t.term);
      if (view && missing.length === 0) return { view, terms: terms.map((t) => ({ postings: held.get(t.term)!, weight: t.weight })) };

      const rows = await this.run<LoadRow>('tessera_load_postings', LOAD_POSTINGS_SQL, [workspaceId, missing]);
      if (rows.length === 0) return 'empty';
      const stats = statsOf(rows[0]!);
      const next = this.cache.viewFor(workspaceId, stats);
      if (!next) {
        // This process already holds a newer generation than that answer: start over from it.
        view = this.cache.view(workspaceId);
        held = new Map();
        continue;
      }
      if (next !== view) held = new Map();
      view = next;
      for (const row of rows) {
        const postings = view.build(postingsOf(row));
        this.cache.put(view, postings);
        held.set(row.term, postings);
      }
    }
    return null;
  }

  /**
   * The best `limit` readable candidates. Candidates are checked in windows of the best scores (a
   * window never splits tied scores), so that what a reader may not see never shortens the list and
   * never reorders it. Null when the index moved since `generation`.
   */
  private async readableBest(
    workspaceId: string,
    generation: number,
    candidates: Candidates,
    reader: ReaderFilter,
    limit: number,
  ): Promise<SearchHit[] | null> {
    const ascending = Float64Array.from(candidates.scores).sort();
    const hits: SearchHit[] = [];
    let upper = Infinity;
    let taken = 0;
    let window = candidateWindow(limit);
    do {
      const threshold = ascending.length === 0 ? Infinity : ascending[Math.max(ascending.length - taken - window, 0)]!;
      const pks: number[] = [];
      const scoreByPk = new Map<number, number>();
      for (let i = 0; i < candidates.pks.length; i++) {
        const score = candidates.scores[i]!;
        if (score >= threshold && score < upper) {
          pks.push(candidates.pks[i]!);
          scoreByPk.set(candidates.pks[i]!, score);
        }
      }
      const rows = await this.run<CandidateRow>('tessera_readable_candidates', READABLE_CANDIDATES_SQL, [
        workspaceId,
        pks,
        reader.identifiers,
        reader.groups,
      ]);
      if (rows.length === 0 || rows[0]!.generation !== generation) return null;
      const batch = rows
        .filter((r) => r.pk !== null)
        .map((r) => ({ id: r.id!, title: r.title!, url: r.url, score: scoreByPk.get(r.pk!)! }))
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      hits.push(...batch);
      taken += pks.length;
      upper = threshold;
      window *= 4;
    } while (hits.length < limit && taken < candidates.pks.length);
    return hits.slice(0, limit);
  }
}

function statsOf(row: LoadRow): CollectionStats {
  return {
    generation: row.generation,
    docCount: row.doc_count,
    totalTitleLength: row.total_title_length,
    totalBodyLength: row.total_body_length,
  };
}

function postingsOf(row: LoadRow): LoadedPostings {
  return {
    term: row.term,
    docPks: row.doc_pks ?? [],
    tfTitle: row.tf_title ?? [],
    tfBody: row.tf_body ?? [],
    titleLength: row.title_length ?? [],
    bodyLength: row.body_length ?? [],
  };
}
