/**
 * The shared SearchBackend contract suite, run against the OpenSearch adapter talking HTTP to a local
 * fake (OpenSearch cannot run on this machine). A contract test against a fake: it proves the adapter
 * speaks the API correctly and that the fake's BM25 ranks as the suite expects — not real relevance.
 * search-backend.opensearch-cluster.test.ts runs the same suite against a real cluster.
 */
import { startFakeBackend } from '../../libs/search/testing/opensearch-fake';
import { searchBackendSuite } from '../../libs/search/testing/search-backend.suite';

searchBackendSuite('OpenSearch contract (local fake)', async () => {
  const { backend, newWorkspace, close } = await startFakeBackend();
  return { backend, newWorkspace, close };
});
