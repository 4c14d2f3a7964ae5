/**
 * Ranking metrics with binary relevance, as trec_eval computes them.
 * `ranked` is a result list, best first; a document listed twice counts once
 * (at its first position), so a buggy run cannot score a hit twice.
 */

/**
 * Normalized discounted cumulative gain at k: DCG = Σ rel_i / log2(i + 1) over
 * the first k positions, divided by the DCG of an ideal ranking that puts
 * min(|relevant|, k) relevant documents first. 0 when nothing is relevant.
 */
export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  const idealHits = Math.min(relevant.size, k);
  if (idealHits === 0) return 0;
  let dcg = 0;
  for (const position of relevantPositions(ranked, relevant, k)) dcg += 1 / Math.log2(position + 1);
  let idealDcg = 0;
  for (let position = 1; position <= idealHits; position++) idealDcg += 1 / Math.log2(position + 1);
  return dcg / idealDcg;
}

/**
 * Average precision over the first k results: the mean, over all relevant
 * documents, of precision at the rank where each is retrieved (0 for those not
 * retrieved in the first k). Divides by |relevant|, as trec_eval's map_cut does.
 */
export function averagePrecision(ranked: readonly string[], relevant: ReadonlySet<string>, k = 100): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let precisionSum = 0;
  for (const position of relevantPositions(ranked, relevant, k)) {
    hits++;
    precisionSum += hits / position;
  }
  return precisionSum / relevant.size;
}

/** Fraction of the relevant documents found in the first k results. */
export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  return relevantPositions(ranked, relevant, k).length / relevant.size;
}

/** 1-based positions, within the first k results, of distinct relevant documents. */
function relevantPositions(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number[] {
  const positions: number[] = [];
  const seen = new Set<string>();
  const end = Math.min(ranked.length, k);
  for (let index = 0; index < end; index++) {
    const id = ranked[index];
    if (seen.has(id)) continue;
    seen.add(id);
    if (relevant.has(id)) positions.push(index + 1);
  }
  return positions;
}
