import { BM25F } from './bm25';

const { k1, titleWeight, titleB, bodyB } = BM25F;

/** One workspace's collection statistics, as of one index generation. */
export interface CollectionStats {
  readonly generation: number;
  readonly docCount: number;
  readonly totalTitleLength: number;
  readonly totalBodyLength: number;
}

/** One term's postings as read from the postings table (parallel arrays, one element per document). */
export interface LoadedPostings {
  readonly term: string;
  readonly docPks: ArrayLike<number>;
  readonly tfTitle: ArrayLike<number>;
  readonly tfBody: ArrayLike<number>;
  readonly titleLength: ArrayLike<number>;
  readonly bodyLength: ArrayLike<number>;
}

/**
 * One term in one workspace at one generation: each posting's document slot and its saturated BM25F
 * weight, and the term's IDF × (k1 + 1). A query term's contribution to a document is
 * queryWeight × idfK1 × saturation — the same formula as the SQL path (bm25.ts).
 */
export interface TermPostings {
  readonly term: string;
  readonly df: number;
  readonly idfK1: number;
  readonly slots: Int32Array;
  readonly saturation: Float64Array;
  readonly bytes: number;
}

interface CacheEntry {
  readonly view: WorkspaceView;
  readonly postings: TermPostings;
}

/** Rough heap cost of one document slot (map entry, pk, scratch score and mark). */
const SLOT_BYTES = 64;
const ENTRY_OVERHEAD_BYTES = 160;

/**
 * What this process holds of one workspace's index at one generation. Documents get dense local slots
 * so that scoring accumulates into a typed array instead of a hash map.
 */
export class WorkspaceView {
  readonly terms = new Map<string, CacheEntry>();
  private readonly slotByPk = new Map<number, number>();
  private readonly pkBySlot: number[] = [];
  private scores = new Float64Array(0);
  private marks = new Uint8Array(0);
  /** Per posting: b_t / avg title length and b_b / avg body length, as in the SQL path. */
  private readonly titleBPerLength: number;
  private readonly bodyBPerLength: number;
  private readonly n: number;

  constructor(
    readonly workspaceId: string,
    readonly stats: CollectionStats,
  ) {
    const docs = Math.max(stats.docCount, 1);
    this.n = docs;
    this.titleBPerLength = titleB / Math.max(stats.totalTitleLength / docs, 1);
    this.bodyBPerLength = bodyB / Math.max(stats.totalBodyLength / docs, 1);
  }

  get generation(): number {
    return this.stats.generation;
  }

  get slotBytes(): number {
    return this.pkBySlot.length * SLOT_BYTES;
  }

  /** Converts loaded rows into slots and per-posting weights for this view's statistics. */
  build(loaded: LoadedPostings): TermPostings {
    const df = loaded.docPks.length;
    const slots = new Int32Array(df);
    const saturation = new Float64Array(df);
    for (let i = 0; i < df; i++) {
      slots[i] = this.slotOf(loaded.docPks[i]!);
      const tfn =
        k1 +
        (titleWeight * loaded.tfTitle[i]!) / (1 - titleB + this.titleBPerLength * loaded.titleLength[i]!) +
        loaded.tfBody[i]! / (1 - bodyB + this.bodyBPerLength * loaded.bodyLength[i]!);
      saturation[i] = 1 - k1 / tfn;
    }
    const idfK1 = Math.log(1 + (this.n - df + 0.5) / (df + 0.5)) * (k1 + 1);
    return { term: loaded.term, df, idfK1, slots, saturation, bytes: ENTRY_OVERHEAD_BYTES + loaded.term.length * 2 + df * 12 };
  }

  /**
   * Scores every document that holds at least one of the terms. Synchronous from start to end, so
   * the shared scratch arrays are never seen half-filled by another request.
   */
  score(terms: ReadonlyArray<{ postings: TermPostings; weight: number }>): Candidates {
    this.ensureScratch();
    const scores = this.scores;
    const marks = this.marks;
    const touched: number[] = [];
    for (const { postings, weight } of terms) {
      const w = weight * postings.idfK1;
      const { slots, saturation } = postings;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        if (marks[slot] === 0) {
          marks[slot] = 1;
          touched.push(slot);
        }
        scores[slot]! += w * saturation[i]!;
      }
    }
    const pks = new Float64Array(touched.length);
    const candidateScores = new Float64Array(touched.length);
    for (let i = 0; i < touched.length; i++) {
      const slot = touched[i]!;
      pks[i] = this.pkBySlot[slot]!;
      candidateScores[i] = scores[slot]!;
      scores[slot] = 0;
      marks[slot] = 0;
    }
    return { pks, scores: candidateScores };
  }

  private slotOf(pk: number): number {
    let slot = this.slotByPk.get(pk);
    if (slot === undefined) {
      slot = this.pkBySlot.length;
      this.pkBySlot.push(pk);
      this.slotByPk.set(pk, slot);
    }
    return slot;
  }

  private ensureScratch(): void {
    if (this.scores.length >= this.pkBySlot.length) return;
    const size = Math.max(this.pkBySlot.length, this.scores.length * 2, 1024);
    this.scores = new Float64Array(size);
    this.marks = new Uint8Array(size);
  }
}

/** Every document matching at least one query term, with its score (parallel arrays, unordered). */
export interface Candidates {
  readonly pks: Float64Array;
  readonly scores: Float64Array;
}

/**
 * Term postings of recently searched workspaces, in memory, within a byte budget (least recently used
 * terms go first). Entries belong to a generation of their workspace's index: a newer generation seen
 * anywhere replaces the whole view, so nothing older than what the database last answered is ever kept.
 */
export class PostingsCache {
  private readonly views = new Map<string, WorkspaceView>();
  /** Insertion order is recency: a hit moves its entry to the end. */
  private readonly lru = new Map<string, CacheEntry>();
  private termBytes = 0;

  constructor(readonly budgetBytes: number) {}

  get enabled(): boolean {
    return this.budgetBytes > 0;
  }

  /** Bytes held (postings and document slots), for tests and metrics. */
  get size(): number {
    let slots = 0;
    for (const view of this.views.values()) slots += view.slotBytes;
    return this.termBytes + slots;
  }

  view(workspaceId: string): WorkspaceView | undefined {
    return this.views.get(workspaceId);
  }

  /** The cached postings of a term, marked as recently used. */
  get(view: WorkspaceView, term: string): TermPostings | undefined {
    const entry = view.terms.get(term);
    if (!entry) return undefined;
    const key = keyOf(view.workspaceId, term);
    this.lru.delete(key);
    this.lru.set(key, entry);
    return entry.postings;
  }

  /**
   * The view for a generation the database just answered with: the current one, or a new one that
   * replaces an older generation. Undefined when this process already holds a newer generation (the
   * answer was overtaken; the caller reads again).
   */
  viewFor(workspaceId: string, stats: CollectionStats): WorkspaceView | undefined {
    const current = this.views.get(workspaceId);
    if (current && current.generation === stats.generation) return current;
    if (current && current.generation > stats.generation) return undefined;
    if (current) this.drop(workspaceId);
    const view = new WorkspaceView(workspaceId, stats);
    this.views.set(workspaceId, view);
    return view;
  }

  /** Adds postings built by `view`; evicts the least recently used terms beyond the budget. */
  put(view: WorkspaceView, postings: TermPostings): void {
    if (this.views.get(view.workspaceId) !== view) return;
    const key = keyOf(view.workspaceId, postings.term);
    const previous = view.terms.get(postings.term);
    if (previous) {
      this.termBytes -= previous.postings.bytes;
      this.lru.delete(key);
    }
    const entry = { view, postings };
    view.terms.set(postings.term, entry);
    this.lru.set(key, entry);
    this.termBytes += postings.bytes;
    this.evict();
  }

  /** Forgets a workspace (its generation moved, or it was dropped). */
  drop(workspaceId: string): void {
    const view = this.views.get(workspaceId);
    if (!view) return;
    for (const [term, entry] of view.terms) {
      this.lru.delete(keyOf(workspaceId, term));
      this.termBytes -= entry.postings.bytes;
    }
    this.views.delete(workspaceId);
  }

  private evict(): void {
    while (this.size > this.budgetBytes && this.lru.size > 0) {
      const [key, entry] = this.lru.entries().next().value as [string, CacheEntry];
      this.lru.delete(key);
      entry.view.terms.delete(entry.postings.term);
      this.termBytes -= entry.postings.bytes;
      if (entry.view.terms.size === 0 && this.views.get(entry.view.workspaceId) === entry.view) this.views.delete(entry.view.workspaceId);
    }
  }
}

function keyOf(workspaceId: string, term: string): string {
  return `${workspaceId}\u0000${term}`;
}
