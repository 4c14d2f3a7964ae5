#!/usr/bin/env node
// Compiles apps and libs to dist/ and rewrites the @tessera/* path aliases to relative requires.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
require('./build-console.js').buildConsole();

// Data files that sit beside the code they belong to (e.g. the demo documents) are copied as they are.
const { cpSync, readdirSync } = require('node:fs');
function copyJson(dir) {
  for (const item of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, item.name);
    if (item.isDirectory() && item.name !== 'node_modules') copyJson(rel);
    else if (item.name.endsWith('.json')) cpSync(path.join(root, rel), path.join(root, 'dist', rel));
  }
}
copyJson('apps');
require('node:fs').writeFileSync(path.join(root, 'dist', '.build-stamp'), new Date().toISOString());
