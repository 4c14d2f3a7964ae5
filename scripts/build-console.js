#!/usr/bin/env node
// The admin console (apps/console): types generated from the tenant API's OpenAPI document
// (apps/console/openapi.json, refreshed by `npm run console:openapi`), then a Vite build into
// apps/console/dist, copied to dist/apps/console/dist where the compiled tenant API serves it from.
'use strict';
const { execFileSync } = require('node:child_process');
const { cpSync, existsSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const consoleDir = path.join(root, 'apps/console');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function generateConsoleTypes() {
  execFileSync(bin('openapi-typescript'), [path.join(consoleDir, 'openapi.json'), '-o', path.join(consoleDir, 'src/generated/openapi.ts')], { cwd: root, stdio: 'ignore' });
}

function buildConsole() {
  generateConsoleTypes();
  execFileSync(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: consoleDir, stdio: 'inherit' });
  const target = path.join(root, 'dist/apps/console/dist');
  if (existsSync(target)) rmSync(target, { recursive: true });
  cpSync(path.join(consoleDir, 'dist'), target, { recursive: true });
}

module.exports = { generateConsoleTypes, buildConsole };
if (require.main === module) buildConsole();
