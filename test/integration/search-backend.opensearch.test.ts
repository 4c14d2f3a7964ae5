/**
 * The shared SearchBackend contract suite on a real OpenSearch 2.19 node (the one `npm test` starts
 * from the Maven jars, or the one OPENSEARCH_TEST_URL names). Every workspace it creates is a fresh
 * UUID and is dropped when the suite ends.
 */
import { randomUUID } from 'node:crypto';
import { OpenSearchSearchBackend } from '@tessera/search';
import { searchBackendSuite } from '../../libs/search/testing/search-backend.suite';
import { realOpenSearchUrl } from '../support/opensearch-node';

searchBackendSuite('OpenSearchSearchBackend on a real node', async () => {
  // One node: replicas would leave every index yellow.
  const backend = new OpenSearchSearchBackend({ node: await realOpenSearchUrl(), replicas: 0 });
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
