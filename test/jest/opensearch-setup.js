// Jest global setup of the integration and e2e projects: one real OpenSearch node (scripts/opensearch.js)
// in a scratch directory on 127.0.0.1:OPENSEARCH_HTTP_PORT (default 9200, transport +100), passed to the
// tests as OPENSEARCH_TEST_URL. A caller that sets OPENSEARCH_TEST_URL uses that node instead; with both
// projects in one run the node is started once. opensearch-teardown.js stops it.
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startOpenSearch } = require('../../scripts/opensearch.js');

module.exports = async function startTestOpenSearch() {
  if (process.env.OPENSEARCH_TEST_URL) return;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-test-opensearch-'));
  const httpPort = Number(process.env.OPENSEARCH_HTTP_PORT ?? 9200);
  console.log(`\n# starting OpenSearch on 127.0.0.1:${httpPort}`);
  const node = await startOpenSearch({ baseDir, httpPort, transportPort: httpPort + 100 });
  process.env.OPENSEARCH_TEST_URL = node.url;
  globalThis.__tesseraOpenSearch = async () => {
    await node.stop();
    rmSync(baseDir, { recursive: true, force: true });
    delete process.env.OPENSEARCH_TEST_URL;
  };
};
