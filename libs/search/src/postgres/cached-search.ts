import type { WeightedTerm } from '../analysis';
import type { ReaderFilter, SearchHit } from '../search-backend.port';
import { candidateWindow } from './bm25';
import { canReadDocument } from '@tessera/domain';
import { decodePostingRecords } from './postings';
import { PostingsCache } from './postings-cache';
import { CandidateMetadata, Candidates, CollectionStats, LoadedPostings, ownCandidates, TermPostings, WorkspaceView } from './workspace-view';

/** Runs one statement (prepared by name) and returns its rows. */
export type StatementRunner = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/**
 * $1 workspace, $2 terms. One row per term, each with the collection statistics of the same snapshot
 * and the term's blocks of fixed-width records concatenated (see postingBlocks; NULL: no postings),
 * decoded without parsing text. No rows: no statistics row, so the workspace has never held a
 * document. The function (migration 1765500000000) opens the workspace's row-security scope itself.
 */
const LOAD_POSTINGS_SQL = `SELECT * FROM tessera_term_posting_blocks($1, $2)`;

/**
 * $1 workspace, $2 candidate primary keys. Their search-result metadata with ACL and quarantine flag
 * (filtered per reader in memory, by the same rule as the database's), and the index generation of
 * the same snapshot (on every row; one row with NULL document columns when none is asked for or
 * found). No rows: the workspace has no statistics row. Scoped by the function itself.
 */
const CANDIDATE_METADATA_SQL = `SELECT * FROM tessera_candidate_metadata($1, $2)`;

interface LoadRow {
  generation: number;
  doc_count: number;
  total_title_length: number;
  total_body_length: number;
  term: string;
  packed: Buffer | null;
}

interface CandidateRow {
  generation: number;
  pk: number | null;
  id: string | null;
  title: string | null;
  url: string | null;
  acl_users: string[] | null;
  acl_groups: string[] | null;
  quarantined: boolean | null;
}

const ATTEMPTS = 3;

/**
 * BM25F search with the terms' postings and the candidates' result metadata held in process memory
 * (PostingsCache), scored and filtered per reader there. The database is asked for what is not held
 * yet, and every answer carries the workspace's index generation from the same snapshot: when it
 * differs from the generation that was scored, the cached view is dropped and the search runs
 * again, so an answer always reflects one committed state of the index. While the database's change
 * announcements vouch for the view (PostingsCache.current), a search whose terms and candidates are
 * all held asks the database nothing.
 */
export class CachedBm25Search {
  constructor(private readonly cache: PostingsCache) {}

  /**
   * Hits, best first; null when the index kept moving under every attempt (the caller asks SQL).
   * `run` executes statements inside the caller's workspace scope.
   */
  async search(run: StatementRunner, workspaceId: string, terms: readonly WeightedTerm[], reader: ReaderFilter, limit: number): Promise<SearchHit[] | null> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const held = await this.postingsOf(run, workspaceId, terms);
      if (held === 'empty') return [];
      if (held === null) return null;
      const candidates = held.view.score(held.terms);
      const hits = await this.readableBest(run, held.view, candidates, reader, limit);
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
    run: StatementRunner,
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

      const ticket = this.cache.ticket(workspaceId);
      const rows = await run<LoadRow>('tessera_load_posting_blocks', LOAD_POSTINGS_SQL, [workspaceId, missing]);
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
      this.cache.confirm(view, ticket);
      for (const row of rows) {
        const postings = view.build(decodePostings(row));
        this.cache.put(view, postings);
        held.set(row.term, postings);
      }
    }
    return null;
  }

  /**
   * The best `limit` readable candidates. Candidates are checked in windows of the best scores (a
   * window never splits tied scores), so that what a reader may not see never shortens the list and
   * never reorders it. Null when the index moved since `view` was scored.
   */
  private async readableBest(
    run: StatementRunner,
    view: WorkspaceView,
    scored: Candidates,
    reader: ReaderFilter,
    limit: number,
  ): Promise<SearchHit[] | null> {
    // `scored` lives in the view's scratch memory until this search first waits (see WorkspaceView.score).
    let candidates = scored;
    let owned = false;
    const hits: SearchHit[] = [];
    let upper = Infinity;
    let taken = 0;
    let window = candidateWindow(limit);
    do {
      const threshold = kthLargestBelow(candidates.scores, window, upper);
      const inWindow: Array<{ pk: number; score: number }> = [];
      for (let i = 0; i < candidates.pks.length; i++) {
        const score = candidates.scores[i]!;
        if (score >= threshold && score < upper) inWindow.push({ pk: candidates.pks[i]!, score });
      }
      taken += inWindow.length;
      const held = heldMetadata(view, inWindow);
      let metadata: ReadonlyMap<number, CandidateMetadata> | null = held.found;
      // Memory answers alone when it holds the whole window and the view is vouched current.
      if (held.missing.length > 0 || !this.cache.current(view)) {
        if (!owned && taken < candidates.pks.length) candidates = ownCandidates(candidates);
        owned = true;
        metadata = await this.readMetadata(run, view, held);
        if (!metadata) return null;
      }
      const batch: SearchHit[] = [];
      for (const { pk, score } of inWindow) {
        const document = metadata.get(pk);
        // Absent: not in this generation after all (never expected; such a candidate is not shown).
        if (document && canReadDocument(reader, document)) batch.push({ id: document.id, title: document.title, url: document.url, score });
      }
      batch.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      hits.push(...batch);
      upper = threshold;
      window *= 4;
    } while (hits.length < limit && taken < candidates.pks.length);
    return hits.slice(0, limit);
  }

  /**
   * The window's metadata: what the view holds (`found`), and the rest from the database, which also
   * tells whether the view's generation is still current (and confirms it). Null when the index moved.
   */
  private async readMetadata(
    run: StatementRunner,
    view: WorkspaceView,
    { found, missing }: { found: Map<number, CandidateMetadata>; missing: readonly number[] },
  ): Promise<ReadonlyMap<number, CandidateMetadata> | null> {
    const ticket = this.cache.ticket(view.workspaceId);
    const rows = await run<CandidateRow>('tessera_candidate_metadata', CANDIDATE_METADATA_SQL, [view.workspaceId, `{${missing.join(',')}}`]);
    if (rows.length === 0 || rows[0]!.generation !== view.generation) return null;
    const loaded: CandidateMetadata[] = [];
    for (const row of rows) {
      if (row.pk === null) continue;
      const document: CandidateMetadata = {
        pk: row.pk,
        id: row.id!,
        title: row.title!,
        url: row.url,
        acl: { users: row.acl_users ?? [], groups: row.acl_groups ?? [] },
        quarantined: row.quarantined === true,
      };
      loaded.push(document);
      found.set(row.pk, document);
    }
    this.cache.putMetadata(view, loaded);
    this.cache.confirm(view, ticket);
    return found;
  }
}

/** What the view holds of the candidates' metadata, and the primary keys it lacks. */
function heldMetadata(view: WorkspaceView, candidates: ReadonlyArray<{ pk: number }>): { found: Map<number, CandidateMetadata>; missing: number[] } {
  const found = new Map<number, CandidateMetadata>();
  const missing: number[] = [];
  for (const { pk } of candidates) {
    const known = view.metadata.get(pk);
    if (known) found.set(pk, known);
    else missing.push(pk);
  }
  return { found, missing };
}

/**
 * The k-th largest of the scores below `upper` (so that every score at or above it, ties included,
 * is a window of at least k); -Infinity when fewer than k are below `upper`. A min-heap of k: one
 * pass, and most scores are rejected by one comparison with the heap's top.
 */
export function kthLargestBelow(scores: Float64Array, k: number, upper: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (score >= upper) continue;
    if (size < k) {
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (heap[parent]! <= score) break;
        heap[at] = heap[parent]!;
        at = parent;
      }
      heap[at] = score;
    } else if (score > heap[0]!) {
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= k) break;
        const right = left + 1;
        const child = right < k && heap[right]! < heap[left]! ? right : left;
        if (heap[child]! >= score) break;
        heap[at] = heap[child]!;
        at = child;
      }
      heap[at] = score;
    }
  }
  return size < k ? -Infinity : heap[0]!;
}

/** The collection statistics a tessera_* read function returns with what it read (same snapshot). */
export function statsOf(row: Pick<LoadRow, 'generation' | 'doc_count' | 'total_title_length' | 'total_body_length'>): CollectionStats {
  return {
    generation: row.generation,
    docCount: row.doc_count,
    totalTitleLength: row.total_title_length,
    totalBodyLength: row.total_body_length,
  };
}

function decodePostings(row: LoadRow): LoadedPostings {
  return { term: row.term, ...decodePostingRecords(row.packed ?? Buffer.alloc(0)) };
}
