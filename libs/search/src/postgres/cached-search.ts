import type { WeightedTerm } from '../analysis';
import type { ReaderFilter, SearchHit } from '../search-backend.port';
import { type IndexDatabase, readCandidateMetadata, readIndex } from './index-reads';
import { GenerationView, PostingsCache } from './postings-cache';
import { readableBest } from './ranking';
import { type CandidateMetadata, type TermPostings, WorkspaceIndex } from './scorer';

const ATTEMPTS = 3;

/**
 * BM25F search with the workspace's index, the terms' postings and the candidates' result metadata
 * held in process memory (PostingsCache), scored and filtered per reader there. The database is
 * asked for what is not held yet, and every answer carries the workspace's index generation from
 * the same snapshot: when it differs from the generation that was scored, the cached view is dropped
 * and the search runs again, so an answer always reflects one committed state of the index. While
 * the database's change announcements vouch for the view (PostingsCache.current), a search whose
 * terms and candidates are all held asks the database nothing.
 */
export class CachedBm25Search {
  constructor(private readonly cache: PostingsCache) {}

  /** Hits, best first; null when the index kept moving under every attempt (the caller ranks over a snapshot). */
  async search(db: IndexDatabase, workspaceId: string, terms: readonly WeightedTerm[], reader: ReaderFilter, limit: number): Promise<SearchHit[] | null> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const held = await this.postingsOf(db, workspaceId, terms);
      if (held === 'empty') return [];
      if (held === null) return null;
      const { view, index } = held;
      const readership = index.readership(reader);
      const weighted = held.terms.map(({ postings, weight }) => ({ weights: this.cache.weights(view, postings, readership), weight }));
      const hits = await readableBest(index.score(weighted), reader, limit, (pks) => this.metadataOf(db, view, pks));
      if (hits !== null) return hits;
      this.cache.drop(workspaceId);
    }
    return null;
  }

  /**
   * Every query term's postings, all from one generation, with the index that built them: from the
   * cache, else read (one round trip for all missing terms; with the workspace's ACL classes, in one
   * snapshot, when the generation's index is not held yet). 'empty' when the workspace has no
   * statistics; null when the generation moved under every attempt.
   */
  private async postingsOf(
    db: IndexDatabase,
    workspaceId: string,
    terms: readonly WeightedTerm[],
  ): Promise<{ view: GenerationView; index: WorkspaceIndex; terms: Array<{ postings: TermPostings; weight: number }> } | 'empty' | null> {
    let view = this.cache.view(workspaceId);
    let held = new Map<string, TermPostings>();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const index = view?.index;
      if (view && index) {
        for (const { term } of terms) {
          if (held.has(term)) continue;
          const postings = this.cache.get(view, term);
          if (postings) held.set(term, postings);
        }
        const missing = terms.filter((t) => !held.has(t.term)).map((t) => t.term);
        if (missing.length === 0) return { view, index, terms: terms.map((t) => ({ postings: held.get(t.term)!, weight: t.weight })) };
      }
      const missing = terms.filter((t) => !held.has(t.term)).map((t) => t.term);
      const ticket = this.cache.ticket(workspaceId);
      const read = await readIndex(db, workspaceId, missing, !index);
      if (read === null) return 'empty';
      const next = this.cache.viewFor(workspaceId, read.generation);
      if (!next) {
        // This process already holds a newer generation than that answer: start over from it.
        view = this.cache.view(workspaceId);
        held = new Map();
        continue;
      }
      if (next !== view) held = new Map();
      view = next;
      if (read.classes) view.index ??= new WorkspaceIndex(read.classes);
      // A newer generation than the index held: its classes are read on the next attempt.
      if (!view.index) continue;
      this.cache.confirm(view, ticket);
      for (const loaded of read.postings) {
        const postings = view.index.build(loaded);
        this.cache.put(view, postings);
        held.set(loaded.term, postings);
      }
    }
    return null;
  }

  /** The candidates' metadata: from the view when it holds all of it and is vouched current, else read (and confirmed). */
  private metadataOf(db: IndexDatabase, view: GenerationView, pks: readonly number[]) {
    const found = new Map<number, CandidateMetadata>();
    const missing: number[] = [];
    for (const pk of pks) {
      const known = view.metadata.get(pk);
      if (known) found.set(pk, known);
      else missing.push(pk);
    }
    if (missing.length === 0 && this.cache.current(view)) return found;
    return this.readMetadata(db, view, found, missing);
  }

  private async readMetadata(db: IndexDatabase, view: GenerationView, found: Map<number, CandidateMetadata>, missing: readonly number[]) {
    const ticket = this.cache.ticket(view.workspaceId);
    const read = await readCandidateMetadata(db.run, view.workspaceId, missing);
    if (read === null || read.generation !== view.generation) return null;
    for (const document of read.value) found.set(document.pk, document);
    this.cache.putMetadata(view, read.value);
    this.cache.confirm(view, ticket);
    return found;
  }
}
