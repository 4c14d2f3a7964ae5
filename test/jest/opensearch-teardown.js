// Jest global teardown: stops the node opensearch-setup.js started (none when OPENSEARCH_TEST_URL was given).
'use strict';

module.exports = async function stopTestOpenSearch() {
  const stop = globalThis.__tesseraOpenSearch;
  globalThis.__tesseraOpenSearch = undefined;
  if (stop) await stop();
};
