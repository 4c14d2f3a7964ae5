#!/usr/bin/env node
// `npm run bench [-- options]`: the performance benchmark (test/bench/perf/, see its README.md).
// Builds dist/ first (the platform runs from the compiled code, as in production) unless --no-build
// or --from-source; then runs test/bench/perf/main.ts, which starts the servers as child processes.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);

if (!args.includes('--no-build') && !args.includes('--from-source') && !args.includes('--help') && !args.includes('-h')) {
  console.log('[bench] building dist/ (skip with --no-build)');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('[bench] the build failed; fix it, or run the platform from the sources with --from-source');
    process.exit(build.status ?? 1);
  }
}

const result = spawnSync(process.execPath, ['--expose-gc', '-r', '@swc-node/register', path.join(root, 'test/bench/perf/main.ts'), ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
});
process.exit(result.status ?? 1);
