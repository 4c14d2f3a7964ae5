/*
 * The scorer's inner loops (WorkspaceIndex.score) and the selection of the best scores, as module
 * functions of their own: inlined into their caller, V8 optimized them on the stack mid-loop and then
 * deoptimized at every return (measured ~3x slower).
 */

/** Every readable document matching at least one query term, with its score (parallel arrays, unordered). */
export interface Candidates {
  readonly pks: Float64Array;
  readonly scores: Float64Array;
}

/** Adds one term's weighted postings to the scores; marks each slot first touched. Returns the touched count. */
export function accumulate(
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

export function accumulateDense(slots: Int32Array, saturation: Float64Array, weight: number, scores: Float64Array, marks: Uint8Array): void {
  const length = slots.length;
  for (let i = 0; i < length; i++) {
    const slot = slots[i]!;
    marks[slot] = 1;
    scores[slot]! += weight * saturation[i]!;
  }
}

/** Copies every marked slot's primary key and score out, in slot order, and clears the scratch. Returns the count. */
export function sweep(slotCount: number, pkBySlot: readonly number[], scores: Float64Array, marks: Uint8Array, pks: Float64Array, candidateScores: Float64Array): number {
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
export function collect(
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
