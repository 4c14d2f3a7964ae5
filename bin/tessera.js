#!/usr/bin/env node
'use strict';

// Entry point of the `tessera` CLI. Prefers the compiled build; falls back to
// running the TypeScript sources through @swc-node/register during development.
const fs = require('node:fs');
const path = require('node:path');

const packageRoot = path.join(__dirname, '..');
const compiledEntry = path.join(packageRoot, 'dist', 'apps', 'cli', 'src', 'main.js');

function loadCli() {
  if (fs.existsSync(compiledEntry)) {
    return require(compiledEntry);
  }
  require(require.resolve('@swc-node/register', { paths: [packageRoot] }));
  return require(path.join(packageRoot, 'apps', 'cli', 'src', 'main.ts'));
}

loadCli()
  .run(process.argv.slice(2))
  .then(
    (exitCode) => {
      // exitCode rather than exit(): lets piped stdout flush completely.
      process.exitCode = exitCode;
    },
    (error) => {
      // run() reports expected failures itself; reaching here is a bug.
      console.error(error);
      process.exitCode = 1;
    },
  );
