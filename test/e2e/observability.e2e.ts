/**
 * A scripted session against the platform as `npm start` runs it (a child process on real PostgreSQL):
 * afterwards /metrics tells what happened per tool and outcome, the JSON logs tell it per request, and
 * neither holds a token, a query or an email. Then tracing: spans exported over real OTLP/HTTP.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, mcpRequest } from '../support/platform';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const QUERY = 'zebracorn onboarding laptop';
const SMUGGLED = 'laptop secret.person@example.com';


describe('observability of a scripted session against the running platform (child process, PostgreSQL)', () => {
  let child: ChildProcess;
  let db: TestDatabase;
  let dataDir: string;
  let output = '';
  let base: string;
  let metricsUrl: string;
  let otlp: Server;
  const exported: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-obs-'));
    const [port, metricsPort] = [await freePort(), await freePort()];
    otlp = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('latin1')));
      req.on('end', () => {
        exported.push(`${req.url} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => otlp.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${port}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/standalone/src/main.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        METRICS_PORT: String(metricsPort),
        METRICS_HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(otlp.address() as AddressInfo).port}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    for (let i = 0; i < 120 && !output.includes('Tessera is running'); i++) await sleep(500);
    assert.match(output, /Tessera is running/, output.slice(-2000));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    otlp?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts per tool and outcome, logs per request, and leaks nothing', async () => {
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as { accessToken: string; connectorPath: string };
    const connector = `${base}${demo.connectorPath}`;
    const auth = { authorization: `Bearer ${demo.accessToken}` };
    const call = (name: string, args: Record<string, unknown>) => mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }, auth);
    assert.equal((await call('search', { query: QUERY })).status, 200);
    assert.equal((await call('fetch', { id: 'laptop-and-equipment-requests' })).status, 200);
    assert.equal((await call('search', { query: SMUGGLED })).json.result.isError, true);
    assert.equal((await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: 'Bearer tsr_forged-token-value-1234567890' })).status, 401);
    assert.equal((await fetch(`${base}/metrics`)).status, 404, 'metrics are not on the public port');

    const metrics = await (await fetch(metricsUrl)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? NaN);
    assert.ok(value(/tessera_mcp_requests_total\{[^}]*method="tools\/call"[^}]*tool="search"[^}]*outcome="ok"[^}]*\} (\d+)/) >= 1, 'search ok counted');
    assert.ok(value(/tessera_mcp_requests_total\{[^}]*tool="fetch"[^}]*outcome="ok"[^}]*\} (\d+)/) >= 1, 'fetch ok counted');
    assert.ok(value(/tessera_mcp_requests_total\{[^}]*tool="search"[^}]*outcome="tool_error"[^}]*\} (\d+)/) >= 1, 'blocked search counted');
    assert.ok(value(/tessera_mcp_requests_total\{[^}]*outcome="unauthorized"[^}]*\} (\d+)/) >= 1, '401 counted');
    assert.ok(value(/tessera_guard_hits_total\{[^}]*rule="email"[^}]*\} (\d+)/) >= 1, 'guard hit counted by rule');
    assert.match(metrics, /tessera_search_backend_duration_seconds_bucket\{[^}]*op="search"/);

    child.kill('SIGTERM');
    for (let i = 0; i < 40 && child.exitCode === null; i++) await sleep(250);
    const logLines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const mcpLines = logLines.filter((l) => JSON.stringify(l).includes(demo.connectorPath));
    assert.ok(mcpLines.length >= 4, 'one access line per MCP request');
    assert.ok(mcpLines.every((l) => typeof (l.reqId ?? l.requestId ?? (l.req as { id?: string } | undefined)?.id) === 'string'), 'each with a request id');
    const logs = logLines.map((l) => JSON.stringify(l)).join('\n');
    for (const secret of [demo.accessToken, 'tsr_forged-token-value-1234567890', 'zebracorn', 'secret.person@example.com']) {
      assert.ok(!logs.includes(secret), `logs must not contain ${secret.slice(0, 12)}…`);
      assert.ok(!metrics.includes(secret), `metrics must not contain ${secret.slice(0, 12)}…`);
    }
  });

  it('exports spans for the gateway request, token verification and the backend call over OTLP', () => {
    const traces = exported.filter((e) => e.startsWith('/v1/traces')).join('\n');
    for (const name of ['mcp.request', 'auth.verify_token', 'search_backend.search']) assert.ok(traces.includes(name), `span ${name} exported`);
    assert.ok(!traces.includes('zebracorn'), 'no query text in spans');
  });
});
