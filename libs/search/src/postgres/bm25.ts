/**
 * BM25F, as WorkspaceView scores it: title and body are separate fields, each length-normalized
 * against its own average, the title weighted above the body, then saturated once (k1).
 *
 * Chosen on CISI (npm run bench:relevance; test/bench/relevance/reference-run.ts --variants): the
 * textbook k1 and b for each field, and a title occurrence worth two body occurrences. On CISI the
 * title weight and the field b values move nDCG@10 by less than one standard error (±0.005 over
 * 76 queries) in either direction; the title is weighted because short, descriptive titles are
 * what knowledge-base documents have, and the contract suite expects a title match to lead.
 */
export const BM25F = {
  k1: 1.2,
  titleWeight: 2.0,
  titleB: 0.75,
  bodyB: 0.75,
} as const;

/** How many of the best-scoring candidates the first attempt checks against the ACL. */
export function candidateWindow(limit: number): number {
  return Math.max(4 * limit, 40);
}
