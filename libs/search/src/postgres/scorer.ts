import { canReadDocument, type DocumentAcl } from '@tessera/domain';
import type { ReaderFilter } from '../search-backend.port';
import { BM25F } from './bm25';

/**
 * The pure layer of the PostgreSQL backend: an index of one workspace at one generation, built from
 * postings handed to it, that ranks documents by BM25F. No I/O and no cache: what to keep between
 * searches is the cache's business (postings-cache.ts), where postings come from the reader's
 * (postings-read.ts).
 *
 * Statistics over what the reader may read: a reader's document count, average field lengths and
 * document frequencies count only documents that reader may read (not quarantined, ACL admits), so
 * a reader's scores and order depend on nothing else. Documents with the same ACL form a class; the
 * statistics are kept per class and summed over the classes the reader is admitted to.
 */

const { k1, titleWeight, titleB, bodyB } = BM25F;

/** Documents of one workspace that share an ACL (and whether they are quarantined), at one generation. */
export interface AclClass {
  readonly acl: DocumentAcl;
  readonly quarantined: boolean;
  readonly docCount: number;
  readonly totalTitleLength: number;
  readonly totalBodyLength: number;
  /** Primary keys of its documents; null for the one class that holds every document listed nowhere else. */
  readonly pks: ArrayLike<number> | null;
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

/** One term's postings as stored (parallel arrays, one element per document). */
export interface LoadedPostings {
  readonly term: string;
  readonly docPks: ArrayLike<number>;
  readonly tfTitle: ArrayLike<number>;
  readonly tfBody: ArrayLike<number>;
  readonly titleLength: ArrayLike<number>;
  readonly bodyLength: ArrayLike<number>;
}

/** One term's postings in an index: each posting's document slot and frequencies, and its documents per class. */
export interface TermPostings {
  readonly term: string;
  readonly slots: Int32Array;
  readonly tfTitle: Uint16Array;
  readonly tfBody: Int32Array;
  /** Sparse: `dfClasses[i]` holds `dfCounts[i]` of the term's documents. */
  readonly dfClasses: Int32Array;
  readonly dfCounts: Int32Array;
  readonly bytes: number;
}

/** The classes one reader may read, and their summed statistics. */
export interface Readership {
  /** Equal for two readers admitted to the same classes (a bit set while there are few classes). */
  readonly key: number | string;
  readonly admitted: Uint8Array;
  readonly docCount: number;
  readonly titleBPerLength: number;
  readonly bodyBPerLength: number;
}

/**
 * One term weighed for one readership: the readable postings' slots and saturated BM25F weights, and
 * the term's IDF × (k1 + 1). A query term adds queryWeight × idfK1 × saturation to a document's score.
 */
export interface TermWeights {
  readonly df: number;
  readonly idfK1: number;
  readonly slots: Int32Array;
  readonly saturation: Float64Array;
  readonly bytes: number;
}

/** Every readable document matching at least one query term, with its score (parallel arrays, unordered). */
export interface Candidates {
  readonly pks: Float64Array;
  readonly scores: Float64Array;
}

/** Heap cost of a term's entry beyond its arrays. */
export const ENTRY_OVERHEAD_BYTES = 160;
/** Rough heap cost of one document slot (map entry, pk, lengths, class, scratch score and mark). */
const SLOT_BYTES = 80;

export class WorkspaceIndex {
  private readonly classOfPk = new Map<number, number>();
  private readonly defaultClass: number;
  private readonly slotByPk = new Map<number, number>();
  private readonly pkBySlot: number[] = [];
  private readonly classBySlot: number[] = [];
  private readonly titleLengthBySlot: number[] = [];
  private readonly bodyLengthBySlot: number[] = [];
  private scores = new Float64Array(0);
  private marks = new Uint8Array(0);
  private touched = new Int32Array(0);
  private candidatePks = new Float64Array(0);
  private candidateScores = new Float64Array(0);
  private readonly classCounts: Int32Array;

  constructor(readonly classes: readonly AclClass[]) {
    this.classCounts = new Int32Array(classes.length + 1);
    let defaultClass = -1;
    classes.forEach((aclClass, index) => {
      if (aclClass.pks === null) defaultClass = index;
      else for (let i = 0; i < aclClass.pks.length; i++) this.classOfPk.set(aclClass.pks[i]!, index);
    });
    this.defaultClass = defaultClass;
  }

  get slotBytes(): number {
    return this.pkBySlot.length * SLOT_BYTES + this.classOfPk.size * 40;
  }

  /** The classes `reader` may read and their statistics. */
  readership(reader: ReaderFilter): Readership {
    const admitted = new Uint8Array(this.classes.length);
    let docCount = 0;
    let titleLength = 0;
    let bodyLength = 0;
    const classes = this.classes;
    const few = classes.length <= 30;
    let mask = 0;
    const admittedIndexes: number[] = [];
    for (let index = 0; index < classes.length; index++) {
      const aclClass = classes[index]!;
      if (!canReadDocument(reader, aclClass)) continue;
      admitted[index] = 1;
      docCount += aclClass.docCount;
      titleLength += aclClass.totalTitleLength;
      bodyLength += aclClass.totalBodyLength;
      if (few) mask |= 1 << index;
      else admittedIndexes.push(index);
    }
    const key = few ? mask : admittedIndexes.join(',');
    const docs = Math.max(docCount, 1);
    return {
      key,
      admitted,
      docCount,
      titleBPerLength: titleB / Math.max(titleLength / docs, 1),
      bodyBPerLength: bodyB / Math.max(bodyLength / docs, 1),
    };
  }

  /** Gives the term's documents slots, and counts them per class. */
  build(loaded: LoadedPostings): TermPostings {
    const length = loaded.docPks.length;
    const slots = new Int32Array(length);
    const tfTitle = new Uint16Array(length);
    const tfBody = new Int32Array(length);
    // Documents per class, counted in scratch (index + 1: a document of no class counts at 0).
    const perClass = this.classCounts;
    const counted: number[] = [];
    for (let i = 0; i < length; i++) {
      const slot = this.slotOf(loaded.docPks[i]!, loaded.titleLength[i]!, loaded.bodyLength[i]!);
      slots[i] = slot;
      tfTitle[i] = loaded.tfTitle[i]!;
      tfBody[i] = loaded.tfBody[i]!;
      const at = this.classBySlot[slot]! + 1;
      if (perClass[at]!++ === 0) counted.push(at);
    }
    const dfClasses = new Int32Array(counted.length);
    const dfCounts = new Int32Array(counted.length);
    counted.forEach((at, i) => {
      dfClasses[i] = at - 1;
      dfCounts[i] = perClass[at]!;
      perClass[at] = 0;
    });
    const bytes = ENTRY_OVERHEAD_BYTES + loaded.term.length * 2 + length * 10 + counted.length * 8;
    return { term: loaded.term, slots, tfTitle, tfBody, dfClasses, dfCounts, bytes };
  }

  /** The term's weights for one readership: only the postings of documents it may read. */
  weigh(postings: TermPostings, readership: Readership): TermWeights {
    let df = 0;
    for (let i = 0; i < postings.dfClasses.length; i++) {
      const aclClass = postings.dfClasses[i]!;
      if (aclClass >= 0 && readership.admitted[aclClass] === 1) df += postings.dfCounts[i]!;
    }
    const all = df === postings.slots.length;
    const slots = all ? postings.slots : new Int32Array(df);
    const saturation = new Float64Array(df);
    const { titleBPerLength, bodyBPerLength, admitted } = readership;
    let n = 0;
    for (let i = 0; i < postings.slots.length; i++) {
      const slot = postings.slots[i]!;
      if (!all) {
        const aclClass = this.classBySlot[slot]!;
        if (aclClass < 0 || admitted[aclClass] !== 1) continue;
        slots[n] = slot;
      }
      const tfn =
        k1 +
        (titleWeight * postings.tfTitle[i]!) / (1 - titleB + titleBPerLength * this.titleLengthBySlot[slot]!) +
        postings.tfBody[i]! / (1 - bodyB + bodyBPerLength * this.bodyLengthBySlot[slot]!);
      saturation[n++] = 1 - k1 / tfn;
    }
    const idfK1 = Math.log(1 + (readership.docCount - df + 0.5) / (df + 0.5)) * (k1 + 1);
    return { df, idfK1, slots, saturation, bytes: ENTRY_OVERHEAD_BYTES + df * (all ? 8 : 12) };
  }

  /**
   * Scores every document that holds at least one of the terms (weighed for one readership).
   * Synchronous from start to end, so the shared scratch arrays are never seen half-filled by another
   * request. The candidates returned live in scratch memory too: valid until the next call on this
   * index, so a caller that awaits before it is done with them copies them first (`ownCandidates`).
   */
  score(terms: ReadonlyArray<{ weights: TermWeights; weight: number }>): Candidates {
    this.ensureScratch();
    // The loops are module functions of their own: inlined here, V8 optimized them on the stack
    // mid-loop and then deoptimized at every return (measured ~3x slower).
    let postingCount = 0;
    for (const { weights } of terms) postingCount += weights.slots.length;
    const slotCount = this.pkBySlot.length;
    if (postingCount * 4 < slotCount) {
      // Sparse: remember each slot as it is first touched.
      let count = 0;
      for (const { weights, weight } of terms) {
        count = accumulate(weights.slots, weights.saturation, weight * weights.idfK1, this.scores, this.marks, this.touched, count);
      }
      const pks = this.candidatePks.subarray(0, count);
      const scores = this.candidateScores.subarray(0, count);
      collect(this.touched, count, this.pkBySlot, this.scores, this.marks, pks, scores);
      return { pks, scores };
    }
    // Dense (the terms touch a good share of the index's documents): accumulate without a branch, then
    // sweep every slot once; faster than tracking touched slots when many are (measured ~25%).
    for (const { weights, weight } of terms) accumulateDense(weights.slots, weights.saturation, weight * weights.idfK1, this.scores, this.marks);
    const count = sweep(slotCount, this.pkBySlot, this.scores, this.marks, this.candidatePks, this.candidateScores);
    return { pks: this.candidatePks.subarray(0, count), scores: this.candidateScores.subarray(0, count) };
  }

  private slotOf(pk: number, titleLength: number, bodyLength: number): number {
    let slot = this.slotByPk.get(pk);
    if (slot === undefined) {
      slot = this.pkBySlot.length;
      this.pkBySlot.push(pk);
      // A document in no class (never expected in one snapshot) is read by no one.
      this.classBySlot.push(this.classOfPk.get(pk) ?? this.defaultClass);
      this.titleLengthBySlot.push(titleLength);
      this.bodyLengthBySlot.push(bodyLength);
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

/** Candidates copied out of an index's scratch memory, to keep across an await. */
export function ownCandidates(candidates: Candidates): Candidates {
  return { pks: candidates.pks.slice(), scores: candidates.scores.slice() };
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
