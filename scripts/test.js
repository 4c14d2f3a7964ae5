#!/usr/bin/env node
// `npm test [static|unit|helm|integration|e2e]`: type-check and lint, then run the suites with Node's test runner.
// Integration and e2e tests need PostgreSQL on 127.0.0.1:5432 (see README); each creates its own database.
// They also get one real OpenSearch node (scripts/opensearch.js, Java + Maven), started once before the
// first of them and stopped at the end, passed as OPENSEARCH_TEST_URL; OPENSEARCH_TEST_URL set by the
// caller uses that node instead. Each OpenSearch test works in workspaces named by fresh UUIDs.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readdirSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startOpenSearch } = require('./opensearch.js');

const root = path.join(__dirname, '..');
const SUITES = {
  unit: { dirs: ['apps', 'libs', 'test/bench', 'test/observability'], match: (f) => f.endsWith('.spec.ts') },
  helm: { dirs: ['test/helm'], match: (f) => f.endsWith('.test.ts') },
  integration: { dirs: ['test/integration'], match: (f) => f.endsWith('.test.ts') },
  e2e: { dirs: ['test/e2e'], match: (f) => f.endsWith('.e2e.ts') },
};

function find(dir, match, out = []) {
  let items = [];
  try {
    items = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const item of items) {
    const rel = path.join(dir, item.name);
    if (item.isDirectory()) {
      if (item.name !== 'node_modules' && item.name !== 'dist') find(rel, match, out);
    } else if (match(item.name)) out.push(rel);
  }
  return out;
}

let openSearch;
const openSearchEnv = {};

/** One node for every suite that needs it, in a scratch directory removed afterwards. */
async function ensureOpenSearch() {
  if (process.env.OPENSEARCH_TEST_URL || openSearch) return;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-test-opensearch-'));
  const httpPort = Number(process.env.OPENSEARCH_HTTP_PORT ?? 9200);
  console.log(`# starting OpenSearch on 127.0.0.1:${httpPort}`);
  const node = await startOpenSearch({ baseDir, httpPort, transportPort: httpPort + 100 });
  openSearch = {
    stop: async () => {
      await node.stop();
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
  openSearchEnv.OPENSEARCH_TEST_URL = node.url;
}

async function finish(status) {
  if (openSearch) await openSearch.stop();
  process.exit(status);
}

async function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...openSearchEnv, ...env } });
  if (result.status !== 0) await finish(result.status ?? 1);
}

async function main() {
  const requested = process.argv.slice(2);
  const suites = requested.length ? requested : ['static', 'unit', 'helm', 'integration', 'e2e'];
  for (const name of suites) {
    if (name === 'static') {
      console.log('# type-check and lint');
      await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
      // The console's types are generated from its OpenAPI snapshot before it is type-checked.
      require('./build-console.js').generateConsoleTypes();
      await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/tsconfig.json']);
      await run(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.']);
      continue;
    }
    const suite = SUITES[name];
    if (!suite) {
      console.error(`unknown suite "${name}" (static, unit, helm, integration, e2e)`);
      await finish(2);
    }
    const files = suite.dirs.flatMap((d) => find(d, suite.match)).sort();
    console.log(`# ${name}: ${files.length} files`);
    if (files.length === 0) continue;
    if (name === 'integration' || name === 'e2e') await ensureOpenSearch();
    await run(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=300000', '-r', '@swc-node/register', ...files], {
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      NODE_ENV: 'test',
    });
  }
  await finish(0);
}

main().catch(async (error) => {
  console.error(error.message);
  await finish(1);
});
