import type { DocumentAcl, StoredDocument } from '@tessera/domain';
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
 * queryWeight × idfK1 × saturation (BM25F, bm25.ts).
 */
export interface TermPostings {
  readonly term: string;
  readonly df: number;
  readonly idfK1: number;
  readonly slots: Int32Array;
  readonly saturation: Float64Array;
  readonly bytes: number;
}

export interface CacheEntry {
  readonly view: WorkspaceView;
  readonly postings: TermPostings;
}

/** What a search result shows of a document, and whom it is for. */
export interface CandidateMetadata {
  readonly pk: number;
  readonly id: string;
  readonly title: string;
  readonly url: string | null;
  readonly acl: DocumentAcl;
  readonly quarantined: boolean;
}

export interface DocumentEntry {
  readonly view: WorkspaceView;
  readonly document: StoredDocument;
  readonly bytes: number;
}

/**
 * Taken before asking the database, and handed back with its answer: the answer confirms a view as
 * current only if nothing was announced for the workspace in between and the feed kept listening.
 */
export interface ConfirmationTicket {
  readonly epoch: number;
  readonly stamp: number;
  readonly at: number;
}

/** Rough heap cost of one document slot (map entry, pk, scratch score and mark). */
const SLOT_BYTES = 64;
/** Heap cost of a term's entry beyond its postings. */
export const ENTRY_OVERHEAD_BYTES = 160;

/**
 * What this process holds of one workspace's index at one generation. Documents get dense local slots
 * so that scoring accumulates into a typed array instead of a hash map.
 */
export class WorkspaceView {
  readonly terms = new Map<string, CacheEntry>();
  /** Search-result metadata of documents that were candidates, by primary key. */
  readonly metadata = new Map<number, CandidateMetadata>();
  metadataBytes = 0;
  /** Whole documents that were fetched, by id (only while this generation is current). */
  readonly documents = new Map<string, DocumentEntry>();
  /** When the database last said this generation is current, under which feed epoch and stamp. */
  confirmation?: ConfirmationTicket;
  private readonly slotByPk = new Map<number, number>();
  private readonly pkBySlot: number[] = [];
  private scores = new Float64Array(0);
  private marks = new Uint8Array(0);
  private touched = new Int32Array(0);
  private candidatePks = new Float64Array(0);
  private candidateScores = new Float64Array(0);
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
   * the shared scratch arrays are never seen half-filled by another request. The candidates returned
   * live in scratch memory too: valid until the next call on this view, so a caller that awaits
   * before it is done with them copies them first (`ownCandidates`).
   */
  score(terms: ReadonlyArray<{ postings: TermPostings; weight: number }>): Candidates {
    this.ensureScratch();
    // The loops are module functions of their own: inlined here, V8 optimized them on the stack
    // mid-loop and then deoptimized at every return (measured ~3x slower).
    let postingCount = 0;
    for (const { postings } of terms) postingCount += postings.slots.length;
    const slotCount = this.pkBySlot.length;
    if (postingCount * 4 < slotCount) {
      // Sparse: remember each slot as it is first touched.
      let count = 0;
      for (const { postings, weight } of terms) {
        count = accumulate(postings.slots, postings.saturation, weight * postings.idfK1, this.scores, this.marks, this.touched, count);
      }
      const pks = this.candidatePks.subarray(0, count);
      const scores = this.candidateScores.subarray(0, count);
      collect(this.touched, count, this.pkBySlot, this.scores, this.marks, pks, scores);
      return { pks, scores };
    }
    // Dense (the terms touch a good share of the view's documents): accumulate without a branch, then
    // sweep every slot once; faster than tracking touched slots when many are (measured ~25%).
    for (const { postings, weight } of terms) accumulateDense(postings.slots, postings.saturation, weight * postings.idfK1, this.scores, this.marks);
    const count = sweep(slotCount, this.pkBySlot, this.scores, this.marks, this.candidatePks, this.candidateScores);
    return { pks: this.candidatePks.subarray(0, count), scores: this.candidateScores.subarray(0, count) };
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
    this.touched = new Int32Array(size);
    this.candidatePks = new Float64Array(size);
    this.candidateScores = new Float64Array(size);
  }
}

/** Adds one term's weighted postings to the scores; marks each slot first touched. Returns the touched count. */
function accumulate(
  slots: Int32Array,
  saturation: Float64Array,
  weight: number,
  scores: Float64Array,
  marks: Uint8Array,
  touched: Int32Array,
  count: number,
): number {
  let touchedCount = count;
  const length = slots.length;
  for (let i = 0; i < length; i++) {
    const slot = slots[i]!;
    if (marks[slot] === 0) {
      marks[slot] = 1;
      touched[touchedCount++] = slot;
    }
    scores[slot]! += weight * saturation[i]!;
  }
  return touchedCount;
}

function accumulateDense(slots: Int32Array, saturation: Float64Array, weight: number, scores: Float64Array, marks: Uint8Array): void {
  const length = slots.length;
  for (let i = 0; i < length; i++) {
    const slot = slots[i]!;
    marks[slot] = 1;
    scores[slot]! += weight * saturation[i]!;
  }
}

/** Copies every marked slot's primary key and score out, in slot order, and clears the scratch. Returns the count. */
function sweep(slotCount: number, pkBySlot: readonly number[], scores: Float64Array, marks: Uint8Array, pks: Float64Array, candidateScores: Float64Array): number {
  let count = 0;
  for (let slot = 0; slot < slotCount; slot++) {
    if (marks[slot] === 0) continue;
    pks[count] = pkBySlot[slot]!;
    candidateScores[count++] = scores[slot]!;
    scores[slot] = 0;
    marks[slot] = 0;
  }
  return count;
}

/** Copies the touched slots' primary keys and scores out, and clears the scratch for the next search. */
function collect(
  touched: Int32Array,
  count: number,
  pkBySlot: readonly number[],
  scores: Float64Array,
  marks: Uint8Array,
  pks: Float64Array,
  candidateScores: Float64Array,
): void {
  for (let i = 0; i < count; i++) {
    const slot = touched[i]!;
    pks[i] = pkBySlot[slot]!;
    candidateScores[i] = scores[slot]!;
    scores[slot] = 0;
    marks[slot] = 0;
  }
}

/** Every document matching at least one query term, with its score (parallel arrays, unordered). */
export interface Candidates {
  readonly pks: Float64Array;
  readonly scores: Float64Array;
}

/** Candidates copied out of a view's scratch memory, to keep across an await. */
export function ownCandidates(candidates: Candidates): Candidates {
  return { pks: candidates.pks.slice(), scores: candidates.scores.slice() };
}

