#!/usr/bin/env node
// After `jest --coverage` (npm run test:coverage): line coverage of libs/ and apps/, from
// coverage/coverage-summary.json, the figures the README quotes.
'use strict';
const { readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const summary = JSON.parse(readFileSync(path.join(root, 'coverage/coverage-summary.json'), 'utf8'));
const areas = { 'libs/': { covered: 0, total: 0 }, 'apps/': { covered: 0, total: 0 } };
for (const [file, { lines }] of Object.entries(summary)) {
  if (file === 'total') continue;
  const area = areas[`${path.relative(root, file).split(path.sep)[0]}/`];
  if (!area) continue;
  area.covered += lines.covered;
  area.total += lines.total;
}
for (const [name, { covered, total }] of Object.entries(areas)) {
  console.log(`${name.padEnd(6)} lines ${((100 * covered) / Math.max(total, 1)).toFixed(1)}% (${covered}/${total})`);
}
