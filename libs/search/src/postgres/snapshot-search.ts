import type { WeightedTerm } from '../analysis';
import type { ReaderFilter, SearchHit } from '../search-backend.port';
import { readCandidateMetadata, readIndex, type StatementRunner } from './index-reads';
import { readableBest } from './ranking';
import { WorkspaceIndex } from './scorer';

/**
 * One search ranked over one snapshot of the database with the scorer alone, nothing kept: `run`
 * executes statements inside the workspace's scope, in one REPEATABLE READ transaction. The ranking
 * is the cached path's, from the same reads.
 */
export async function searchSnapshot(run: StatementRunner, workspaceId: string, terms: readonly WeightedTerm[], reader: ReaderFilter, limit: number): Promise<SearchHit[]> {
  const read = await readIndex({ run, inSnapshot: (work) => work(run) }, workspaceId, terms.map((t) => t.term), true);
  if (read === null) return [];
  const index = new WorkspaceIndex(read.classes!);
  const readership = index.readership(reader);
  const weightOf = new Map(terms.map((t) => [t.term, t.weight]));
  const weighted = read.postings.map((loaded) => ({ weights: index.weigh(index.build(loaded), readership), weight: weightOf.get(loaded.term) ?? 0 }));
  const hits = await readableBest(index.score(weighted), reader, limit, async (pks) => {
    const metadata = await readCandidateMetadata(run, workspaceId, pks);
    return metadata && metadata.generation === read.generation ? new Map(metadata.value.map((m) => [m.pk, m])) : null;
  });
  if (!hits) throw new Error('the index generation moved within one snapshot');
  return hits;
}
