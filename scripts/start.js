#!/usr/bin/env node
// `npm start`: build if the sources are newer than dist/, then run every app in one process on the
// embedded default (PGlite in DATA_DIR) unless DATABASE_URL is set.
'use strict';
const { existsSync, statSync, readdirSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist/apps/standalone/src/main.js');
const stamp = path.join(root, 'dist/.build-stamp');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory() && (item.name === 'dist' || item.name === 'generated')) continue;
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|tsx|css)$/.test(item.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const sourcesChanged = () =>
  !existsSync(entry) ||
  !existsSync(path.join(root, 'dist/apps/console/dist/index.html')) ||
  !existsSync(stamp) ||
  Math.max(newestSource(path.join(root, 'apps')), newestSource(path.join(root, 'libs'))) > statSync(stamp).mtimeMs;

if (sourcesChanged()) {
  console.log('building…');
  require('./build.js');
}
require(entry);
