import { canReadDocument } from '@tessera/domain';
import type { ReaderFilter, SearchHit } from '../search-backend.port';
import { candidateWindow } from './bm25';
import { type CandidateMetadata, type Candidates, kthLargestBelow, ownCandidates } from './scorer';

/**
 * The result metadata of candidates: at once when it is at hand (memory), or a promise of it (a read);
 * a promise of null when the index moved since the candidates were scored.
 */
export type MetadataSource = (pks: readonly number[]) => ReadonlyMap<number, CandidateMetadata> | Promise<ReadonlyMap<number, CandidateMetadata> | null>;

/**
 * The best `limit` readable candidates. Candidates are checked in windows of the best scores (a
 * window never splits tied scores), so that what a reader may not see never shortens the list and
 * never reorders it; the scorer already left out what the reader's classes exclude, so the check is
 * the last word, not the filter. Null when the index moved since the candidates were scored.
 * `scored` may live in an index's scratch memory (see WorkspaceIndex.score): it is copied before the
 * first wait.
 */
export async function readableBest(scored: Candidates, reader: ReaderFilter, limit: number, metadataOf: MetadataSource): Promise<SearchHit[] | null> {
  let candidates = scored;
  let owned = false;
  const hits: SearchHit[] = [];
  let upper = Infinity;
  let taken = 0;
  let window = candidateWindow(limit);
  do {
    const threshold = kthLargestBelow(candidates.scores, window, upper);
    const pks: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < candidates.pks.length; i++) {
      const score = candidates.scores[i]!;
      if (score >= threshold && score < upper) {
        pks.push(candidates.pks[i]!);
        scores.push(score);
      }
    }
    taken += pks.length;
    const answer = metadataOf(pks);
    let metadata: ReadonlyMap<number, CandidateMetadata> | null;
    if (answer instanceof Promise) {
      if (!owned && taken < candidates.pks.length) candidates = ownCandidates(candidates);
      owned = true;
      metadata = await answer;
      if (!metadata) return null;
    } else metadata = answer;
    const batch: SearchHit[] = [];
    for (let i = 0; i < pks.length; i++) {
      const document = metadata.get(pks[i]!);
      // Absent: not in this generation after all (never expected; such a candidate is not shown).
      if (document && canReadDocument(reader, document)) batch.push({ id: document.id, title: document.title, url: document.url, score: scores[i]! });
    }
    batch.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    hits.push(...batch);
    upper = threshold;
    window *= 4;
  } while (hits.length < limit && taken < candidates.pks.length);
  return hits.slice(0, limit);
}
