#!/usr/bin/env node
// `npm test [static|unit|helm|integration|e2e] [-- jest options]`: type-check and lint, then run the suites,
// each a Jest project (jest.config.js): `jest --selectProjects <suite>`. Options after the suite names go to
// Jest, e.g. `npm test -- unit --coverage`, `npm test -- unit -t 'rate limit'` or `npm test -- unit libs/search`.
// Integration and e2e tests need PostgreSQL on 127.0.0.1:5432 (see README); each creates its own database.
// They also get one real OpenSearch node (scripts/opensearch.js, Java + Maven) on OPENSEARCH_HTTP_PORT
// (default 9200), started once before the first of them and stopped at the end, passed as
// OPENSEARCH_TEST_URL; OPENSEARCH_TEST_URL set by the caller uses that node instead. Each OpenSearch test
// works in workspaces named by fresh UUIDs.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const startTestOpenSearch = require('../test/jest/opensearch-setup.js');
const stopTestOpenSearch = require('../test/jest/opensearch-teardown.js');

const root = path.join(__dirname, '..');
const SUITES = ['unit', 'helm', 'integration', 'e2e'];

async function finish(status) {
  await stopTestOpenSearch();
  process.exit(status);
}

async function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) await finish(result.status ?? 1);
}

async function main() {
  // Leading stage names, then everything else for Jest (options, file paths, test name patterns).
  const argv = process.argv.slice(2);
  const firstForJest = argv.findIndex((arg) => arg !== 'static' && !SUITES.includes(arg));
  const requested = firstForJest === -1 ? argv : argv.slice(0, firstForJest);
  const jestOptions = firstForJest === -1 ? [] : argv.slice(firstForJest);
  const stages = requested.length ? requested : ['static', ...SUITES];
  for (const name of stages) {
    if (name === 'static') {
      console.log('# type-check and lint');
      await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
      // The console's types are generated from its OpenAPI snapshot before it is type-checked.
      require('./build-console.js').generateConsoleTypes();
      await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/tsconfig.json']);
      await run(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.']);
      continue;
    }
    console.log(`# ${name}`);
    // One node for both suites that need it (the projects' own global setup would start one per run).
    if (name === 'integration' || name === 'e2e') await startTestOpenSearch();
    await run(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), '--selectProjects', name, '--ci', ...jestOptions]);
  }
  await finish(0);
}

main().catch(async (error) => {
  console.error(error.message);
  await finish(1);
});
