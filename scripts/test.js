#!/usr/bin/env node
// `npm test [static|unit|helm|integration|e2e]`: type-check and lint, then run the suites with Node's test runner.
// Integration and e2e tests need PostgreSQL on 127.0.0.1:5432 (see README); each creates its own database.
'use strict';
const { spawnSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const path = require('node:path');

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

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const requested = process.argv.slice(2);
const suites = requested.length ? requested : ['static', 'unit', 'helm', 'integration', 'e2e'];
for (const name of suites) {
  if (name === 'static') {
    console.log('# type-check and lint');
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
    require('./build-console.js').generateConsoleTypes();
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'apps/console/tsconfig.json']);
    run(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.']);
    continue;
  }
  const suite = SUITES[name];
  if (!suite) {
    console.error(`unknown suite "${name}" (static, unit, helm, integration, e2e)`);
    process.exit(2);
  }
  const files = suite.dirs.flatMap((d) => find(d, suite.match)).sort();
  console.log(`# ${name}: ${files.length} files`);
  if (files.length === 0) continue;
  run(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=300000', '-r', '@swc-node/register', ...files], {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
  });
}
