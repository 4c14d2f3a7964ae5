import { canReadDocument, type DocumentAcl } from '@tessera/domain';
import type { ReaderFilter } from '../search-backend.port';
import { BM25F } from './bm25';
import { accumulate, accumulateDense, type Candidates, collect, sweep } from './score-accumulation';

export { kthLargestBelow, ownCandidates, type Candidates } from './score-accumulation';

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
