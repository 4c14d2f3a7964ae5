import type { CisiQuery, Qrels } from './cisi';
import { averagePrecision, ndcgAtK, recallAtK } from './metrics';

export interface RunScores {
  queryCount: number;
  ndcgAt10: number;
  mapAt100: number;
  recallAt100: number;
  /** Queries for which the system returned nothing at all. */
  emptyResultLists: number;
}

/** Ranked document ids for a query, best first; may be a remote call (the product through MCP). */
export type RankingFunction = (query: CisiQuery) => readonly string[] | Promise<readonly string[]>;

/** Means over the judged queries, so a reference and the product are scored identically. */
export async function evaluateRun(queries: readonly CisiQuery[], qrels: Qrels, rank: RankingFunction): Promise<RunScores> {
  const totals = { ndcgAt10: 0, mapAt100: 0, recallAt100: 0, emptyResultLists: 0 };
  const judged = queries.filter((query) => (qrels.get(query.id)?.size ?? 0) > 0);
  for (const query of judged) {
    const relevant = qrels.get(query.id)!;
    const ranked = await rank(query);
    totals.ndcgAt10 += ndcgAtK(ranked, relevant, 10);
    totals.mapAt100 += averagePrecision(ranked, relevant, 100);
    totals.recallAt100 += recallAtK(ranked, relevant, 100);
    if (ranked.length === 0) totals.emptyResultLists++;
  }
  const count = judged.length || 1;
  return {
    queryCount: judged.length,
    ndcgAt10: totals.ndcgAt10 / count,
    mapAt100: totals.mapAt100 / count,
    recallAt100: totals.recallAt100 / count,
    emptyResultLists: totals.emptyResultLists,
  };
}

export function formatScores(label: string, scores: RunScores): string {
  return [
    label.padEnd(48),
    scores.ndcgAt10.toFixed(3).padStart(8),
    scores.mapAt100.toFixed(3).padStart(8),
    scores.recallAt100.toFixed(3).padStart(11),
    `${scores.emptyResultLists}/${scores.queryCount}`.padStart(8),
  ].join(' ');
}

export const SCORES_HEADER = ['run'.padEnd(48), 'nDCG@10'.padStart(8), 'MAP@100'.padStart(8), 'Recall@100'.padStart(11), 'empty'.padStart(8)].join(' ');
