import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { batchDocuments } from './ingest';
import type { LoadResult } from './load';
import { parseBenchOptions } from './options';
import { summarizeProfile } from './profile-summary';
import { buildRows, formatTable } from './report';

const load = (rps: number, p99 = 5, failures = 0): LoadResult => ({
  requests: rps * 10,
  requestsPerSecond: rps,
  latencyMs: { p50: 1, p90: 2, p99, max: p99 * 2, mean: 1.5 },
  errors: 0,
  timeouts: 0,
  non2xx: failures,
  bytesPerSecond: 0,
  durationSeconds: 10,
});
const ingest = (docsPerSecond: number) => ({ documents: 100, bytes: 1e6, seconds: 100 / docsPerSecond, docsPerSecond, megabytesPerSecond: 1, batches: 1 });

describe('benchmark report', () => {
  it('computes ratios against the right baseline and checks the issue targets', () => {
    const rows = buildRows({
      baselines: { 'raw-node': { load: load(10_000) }, 'sdk-stateless': { load: load(800) }, 'plain-insert': { ingest: ingest(400) } },
      scenarios: {
        'tools/list': load(6_000), initialize: load(5_000), search: load(2_000, 60), fetch: load(4_000, 10, 3),
        'tools/list@2026-07-28': load(4_000), 'search@2026-07-28': load(2_000, 20),
      },
      bulk: ingest(250),
    });
    const by = Object.fromEntries(rows.map((r) => [r.scenario, r]));
    assert.equal(by['tools/list']!.ratio, 0.6);
    assert.equal(by['tools/list']!.met, true);
    assert.equal(by.initialize!.met, undefined, 'no target for initialize');
    assert.equal(by['tools/call search']!.ratio, 2.5);
    assert.equal(by['tools/call search']!.met, false, 'p99 60 ms misses the 50 ms bound');
    assert.equal(by['tools/call fetch']!.met, false, 'failed requests never meet a target');
    assert.equal(by['tools/list@2026-07-28']!.ratio, 0.4);
    assert.equal(by['tools/list@2026-07-28']!.met, false, 'the 2026 row has the same ≥ 50% of raw Node target');
    assert.equal(by['tools/call search@2026-07-28']!.met, true);
    assert.equal(by['tools/call fetch@2026-07-28'], undefined, 'a scenario not run has no row');
    assert.equal(by['documents:bulk']!.ratio, 0.625);
    assert.equal(by['documents:bulk']!.met, true);
    const table = formatTable(rows);
    assert.match(table, /^scenario\s+req\/s/);
    assert.match(table, /tools\/call search .* 2\.50× .*NO$/m);
  });

  it('leaves the ratio empty when a baseline was skipped', () => {
    const rows = buildRows({ baselines: {}, scenarios: { 'tools/list': load(100) } });
    assert.equal(rows[0]!.ratio, undefined);
    assert.equal(rows[0]!.met, false);
  });
});

describe('benchmark options', () => {
  it('defaults to the issue: PostgreSQL, 10 s, 20 connections, 10,000 documents', () => {
    const o = parseBenchOptions([]);
    expect([o.backend, o.durationSeconds, o.connections, o.documents, o.scenarios.length]).toStrictEqual(['postgres', 10, 20, 10_000, 7]); // four 2025-era scenarios and three 2026-07-28 ones
  });

  it('parses the flags and rejects unknown ones', () => {
    const o = parseBenchOptions(['--embedded', '--duration', '5', '--only', 'search,fetch', '--soak', '0.5', '--cpu-prof', '--no-build']);
    expect([o.backend, o.durationSeconds, o.scenarios, o.soakMinutes, o.cpuProf]).toStrictEqual(['pglite', 5, ['search', 'fetch'], 0.5, true]);
    assert.throws(() => parseBenchOptions(['--only', 'nope']), /unknown scenario/);
    assert.throws(() => parseBenchOptions(['--duration', '0']), /positive/);
    assert.throws(() => parseBenchOptions(['--frobnicate']), /unknown option/);
  });
});

describe('benchmark batching', () => {
  it('closes a batch at 200 documents or 4 MB, as the CLI does', () => {
    const small = Array.from({ length: 450 }, (_, i) => ({ id: `d${i}`, title: 't', text: 'x', url: 'u', metadata: { n: i, source: 's' } }));
    expect(batchDocuments(small).map((b) => b.documents.length)).toStrictEqual([200, 200, 50]);
    const big = Array.from({ length: 10 }, (_, i) => ({ id: `d${i}`, title: 't', text: 'x'.repeat(1_000_000), url: 'u', metadata: { n: i, source: 's' } }));
    const batches = batchDocuments(big);
    expect(batches.map((b) => b.documents.length)).toStrictEqual([4, 4, 2]);
    assert.ok(batches.every((b) => b.bytes <= 4 * 1024 * 1024));
    assert.equal(batches[0]!.ndjson.split('\n').length, 5);
  });
});

describe('profile summary', () => {
  it('attributes self time by sample deltas and counts inclusive time once per stack', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 4] },
        { id: 2, callFrame: frame('outer', `${process.cwd()}/dist/apps/mcp-gateway/src/x.js`), children: [3] },
        { id: 3, callFrame: frame('inner', `${process.cwd()}/node_modules/pg/lib/client.js`) },
        { id: 4, callFrame: frame('(idle)') },
      ],
      startTime: 0,
      endTime: 400,
      samples: [2, 3, 3, 4],
      timeDeltas: [0, 100, 100, 100, 100],
    });
    assert.equal(summary.totalMs, 0.4);
    assert.equal(summary.idleShare, 0.25);
    assert.equal(summary.selfByPackage[0]!.name, 'pg');
    assert.ok(Math.abs(summary.selfByPackage[0]!.selfShare - 2 / 3) < 1e-9);
    const outer = summary.totalByFunction.find((h) => h.name.startsWith('outer'))!;
    assert.equal(outer.totalShare, 1);
    assert.equal(summary.selfByPackage.find((h) => h.name === 'apps/mcp-gateway')!.selfMs, 0.1);
  });
});
