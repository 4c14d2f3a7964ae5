/**
 * The shared SearchBackend contract suite against a real OpenSearch cluster — the same suite the
 * local fake passes. Skipped unless OPENSEARCH_URL is set (with OPENSEARCH_USERNAME/PASSWORD and
 * OPENSEARCH_CA_PEM or OPENSEARCH_CA_FILE as the cluster needs), e.g.
 *   OPENSEARCH_URL=https://localhost:9200 OPENSEARCH_USERNAME=admin OPENSEARCH_PASSWORD=… \
 *     node --test -r @swc-node/register test/integration/search-backend.opensearch-cluster.test.ts
 * Every workspace it creates is a fresh UUID and is dropped when the suite ends.
 */
import { randomUUID } from 'node:crypto';
import { describe } from 'node:test';
import { loadSearchBackendSelection, OpenSearchSearchBackend } from '@tessera/search';
import { searchBackendSuite } from '../../libs/search/testing/search-backend.suite';

describe('OpenSearch contract (real cluster)', { skip: !process.env.OPENSEARCH_URL && 'set OPENSEARCH_URL to run against a real cluster' }, () => {
  searchBackendSuite('OpenSearchSearchBackend on a real cluster', async () => {
    const selection = loadSearchBackendSelection({ ...process.env, SEARCH_BACKEND: 'opensearch' });
    if (selection.kind !== 'opensearch') throw new Error('unreachable');
    // A test cluster is often a single node: replicas would leave every index yellow.
    const backend = new OpenSearchSearchBackend({ ...selection.options, replicas: 0 });
    const created: string[] = [];
    return {
      backend,
      newWorkspace: async () => {
        const workspaceId = randomUUID();
        await backend.createWorkspace(workspaceId);
        created.push(workspaceId);
        return workspaceId;
      },
      close: async () => {
        await Promise.all(created.map((id) => backend.dropWorkspace(id)));
        await backend.onApplicationShutdown();
      },
    };
  });
});
