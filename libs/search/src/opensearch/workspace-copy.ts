import type { Client } from '@opensearch-project/opensearch';
import { setTimeout as sleep } from 'node:timers/promises';
import { guarded } from './opensearch-errors';
import type { RequestOptions } from './opensearch-client';
import { isSharedIndex } from './index-names';

/**
 * Sets what a document's place depends on while `_reindex` copies it: `_id` "<workspace>:<id>"
 * (documents written by mapping v1 had the bare id), `workspace_id`, and the workspace's routing.
 */
const PLACE_DOCUMENT = "ctx._id = params.workspace + ':' + ctx._source.id; ctx._source.workspace_id = params.workspace; ctx._routing = params.workspace;";

/** Copies one workspace's documents from `from` to `to` (refreshed when it answers); returns how many. */
export async function copyWorkspace(client: Client, requests: RequestOptions, workspaceId: string, from: string, to: string): Promise<number> {
  const response = await guarded('move', () =>
    client.reindex(
      {
        body: {
          // A workspace's own index holds only its documents (v1 ones have no workspace_id field).
          source: { index: from, query: isSharedIndex(from) ? { term: { workspace_id: workspaceId } } : { match_all: {} } },
          dest: { index: to },
          script: { lang: 'painless', source: PLACE_DOCUMENT, params: { workspace: workspaceId } },
        },
        refresh: true,
        wait_for_completion: true,
      },
      requests.reindex(),
    ),
  );
  const body = response.body as { total?: number; created?: number; updated?: number; failures?: unknown[] };
  if ((body.failures ?? []).length > 0) throw new Error(`copy ${from} → ${to} reported ${body.failures!.length} failures`);
  return (body.created ?? 0) + (body.updated ?? 0);
}

/** Deletes exactly one workspace's documents from a shared index (refreshed when it answers). Missing index: nothing to do. */
export async function deleteWorkspaceDocuments(client: Client, requests: RequestOptions, workspaceId: string, index: string): Promise<void> {
  const response = await guarded('delete workspace documents', () =>
    client.deleteByQuery(
      {
        index,
        routing: workspaceId,
        refresh: true,
        conflicts: 'proceed',
        wait_for_completion: true,
        body: { query: { term: { workspace_id: workspaceId } } },
      },
      { ...requests.reindex(), ignore: [404] },
    ),
  );
  const body = response.body as { failures?: unknown[] };
  if ((body.failures ?? []).length > 0) throw new Error(`deleting workspace documents from ${index} reported ${body.failures!.length} failures`);
}

/**
 * After the write fence: a write that resolved the alias just before it may still be running on the
 * shard. Wait (bounded) until the source index has no indexing in flight, then refresh it, so the
 * copy's snapshot includes every write that was accepted.
 */
export async function waitForWritesToSettle(client: Client, requests: RequestOptions, index: string, boundMs = 5_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const stats = await guarded('move', () => client.indices.stats({ index, metric: 'indexing' }, requests.admin()));
    const indexing = (stats.body as { _all?: { primaries?: { indexing?: { index_current?: number; delete_current?: number } } } })._all?.primaries?.indexing;
    if (((indexing?.index_current ?? 0) + (indexing?.delete_current ?? 0)) === 0 || Date.now() > deadline) break;
    await sleep(20);
  }
  await guarded('move', () => client.indices.refresh({ index }, requests.management()));
}
