/**
 * startHttpApp's observability: the separate /metrics listener, request ids, access logs, terminus
 * health and the SIGTERM drain — on a small Nest app with fake infrastructure (no database needed).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Global, Logger, Module, Post } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SEARCH_BACKEND } from '@tessera/search';
import {
  annotateRequest,
  loadObservabilityConfig,
  ObservabilityModule,
  ReadinessState,
  SEARCH_BACKEND_DECORATOR,
  type ObservabilityConfig,
  type SearchBackendDecorator,
} from '@tessera/observability';
import type { SearchBackend } from '@tessera/search';
import { ConfigError, loadPlatformConfig, startHttpApp, type PlatformConfig, type RawRequestHandler, type RunningHttpApp } from '@tessera/server';

const infra = { searchUp: true, databaseUp: true, databaseHangs: false };

@Controller()
class ProbeController {
  private readonly logger = new Logger('Probe');

  @Post('v1/echo')
  echo(@Body() body: Record<string, unknown>) {
    this.logger.log({ body }, 'echo received');
    return { ok: true };
  }

  @Get('v1/slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { slow: true };
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      useValue: {
        query: async () => {
          if (infra.databaseHangs) return new Promise(() => undefined);
          if (!infra.databaseUp) throw new Error('connect ECONNREFUSED postgres://user:pw@db:5432/tessera');
          return [{ one: 1 }];
        },
        driver: { master: { totalCount: 2, idleCount: 1, waitingCount: 0, options: { max: 5 } } },
      },
    },
    {
      provide: SEARCH_BACKEND,
      useValue: {
        name: 'fake',
        ping: async () => {
          if (!infra.searchUp) throw new Error('search backend is down');
        },
      },
    },
  ],
  exports: [DataSource, SEARCH_BACKEND],
})
class FakeInfrastructure {}

/** Stands in for the MCP handler: answers /mcp/… itself and annotates the access-log line. */
const rawMcp: RawRequestHandler = {
  tryHandle(req, res) {
    if (!req.url?.startsWith('/mcp/')) return false;
    annotateRequest({ rpcMethod: 'tools/call', tool: 'search', outcome: 'ok', query: 'must never be logged' });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"jsonrpc":"2.0","id":1,"result":{}}');
    return true;
  },
};

/** Writes the response headers it is given itself, in one writeHead, as the MCP gateway does. */
const ownHeaders: RawRequestHandler = {
  writesResponseHeaders: true,
  tryHandle(req, res, responseHeaders) {
    if (!req.url?.startsWith('/raw/')) return false;
    res.writeHead(200, [...responseHeaders, 'content-type', 'text/plain']);
    res.end('raw');
    return true;
  },
};

function platformConfig(port = 0): PlatformConfig {
  return loadPlatformConfig(
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: 'http://127.0.0.1:8080',
      DATA_DIR: '/tmp/tessera-observability-test',
      TESSERA_ADMIN_TOKEN: 'tsa_observability_test_token_000000',
      LOG_LEVEL: 'debug',
    },
    { allowGeneratedAdminToken: false },
  );
}

function observabilityConfig(overrides: Partial<ObservabilityConfig> = {}): ObservabilityConfig {
  return {
    ...loadObservabilityConfig({ NODE_ENV: 'test' }, { stdoutIsTty: false }),
    metrics: { host: '127.0.0.1', port: 0, explicit: false },
    shutdownGraceMs: 300,
    shutdownDrainTimeoutMs: 2_000,
    healthCheckTimeoutMs: 500,
    ...overrides,
  };
}

/** An app with a database and no search backend, as auth runs. */
@Global()
@Module({ providers: [{ provide: DataSource, useValue: { query: async () => [{ one: 1 }], driver: { master: { totalCount: 1, idleCount: 1, waitingCount: 0, options: { max: 5 } } } } }], exports: [DataSource] })
class DatabaseOnlyInfrastructure {}

async function start(overrides: Partial<ObservabilityConfig> = {}, port = 0, infrastructure: unknown = FakeInfrastructure) {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const observability = observabilityConfig(overrides);
  @Module({ imports: [infrastructure as typeof FakeInfrastructure, ObservabilityModule.forConfig(observability)], controllers: [ProbeController] })
  class TestAppModule {}
  const running = await startHttpApp({
    module: TestAppModule,
    config: platformConfig(port),
    observability,
    rawHandlers: () => [ownHeaders, rawMcp],
    logDestination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { running, lines, raw };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('startHttpApp observability', () => {
  let app: { running: RunningHttpApp; lines: Array<Record<string, unknown>>; raw: string[] };
  beforeAll(async () => {
    app = await start();
  });
  afterAll(async () => {
    await app.running.close();
  });

  it('serves /metrics on its own listener, never on the public one', async () => {
    assert.ok(app.running.metricsUrl, 'metrics listener started');
    assert.notEqual(new URL(app.running.metricsUrl).port, new URL(app.running.url).port);
    await fetch(`${app.running.url}/healthz`);
    const scraped = await fetch(`${app.running.metricsUrl}/metrics`);
    assert.equal(scraped.status, 200);
    const text = await scraped.text();
    assert.match(text, /^# TYPE tessera_mcp_requests_total counter$/m);
    assert.match(text, /^tessera_http_requests_total\{group="health",status_class="2xx"\} \d+$/m);
    assert.match(text, /^tessera_db_pool_connections\{pool="main"\} 2$/m);
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
    const onPublic = await fetch(`${app.running.url}/metrics`);
    assert.equal(onPublic.status, 404);
    assert.doesNotMatch(await onPublic.text(), /tessera_/);
  });

  it('echoes a sane x-request-id, generates one otherwise, and logs it on every line of the request', async () => {
    const given = await fetch(`${app.running.url}/v1/echo?code=secret-auth-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'test-request-0001', authorization: 'Bearer tsr_secret_token' },
      body: JSON.stringify({ password: 'hunter2-password', title: 'hello' }),
    });
    assert.equal(given.status, 201);
    assert.equal(given.headers.get('x-request-id'), 'test-request-0001');
    const generated = await fetch(`${app.running.url}/v1/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setImmediate(resolve));

    const ofRequest = app.lines.filter((l) => l.requestId === 'test-request-0001');
    const echo = ofRequest.find((l) => l.msg === 'echo received');
    assert.ok(echo, 'the controller’s line (written after body parsing) carries the request id');
    assert.equal(echo.context, 'Probe');
    const access = ofRequest.find((l) => l.msg === 'request');
    assert.ok(access, 'one access-log line');
    assert.equal(access.path, '/v1/echo');
    assert.equal(access.status, 201);
    assert.equal(access.method, 'POST');
    assert.equal(typeof access.durationMs, 'number');
    const all = app.raw.join('');
    for (const secret of ['secret-auth-code', 'hunter2-password', 'tsr_secret_token']) assert.ok(!all.includes(secret), `${secret} leaked`);
  });

  it('gives the request id, once, to raw handlers that write their own headers and to those that do not', async () => {
    const own = await fetch(`${app.running.url}/raw/x`, { headers: { 'x-request-id': 'raw-request-0001' } });
    assert.equal(await own.text(), 'raw');
    assert.equal(own.headers.get('x-request-id'), 'raw-request-0001', 'present, and not twice');
    const passedOn = await fetch(`${app.running.url}/mcp/acme/kb`, { method: 'POST', headers: { 'x-request-id': 'raw-request-0002' } });
    assert.equal(passedOn.headers.get('x-request-id'), 'raw-request-0002');
  });

  it('lets a raw handler annotate its request’s single access-log line', async () => {
    const response = await fetch(`${app.running.url}/mcp/acme/kb?access_token=leaky-token`, { method: 'POST', headers: { 'x-request-id': 'mcp-request-0001' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'mcp-request-0001');
    await new Promise((resolve) => setImmediate(resolve));
    const access = app.lines.filter((l) => l.requestId === 'mcp-request-0001' && l.msg === 'request');
    assert.equal(access.length, 1);
    assert.equal(access[0]!.tool, 'search');
    assert.equal(access[0]!.outcome, 'ok');
    assert.equal(access[0]!.path, '/mcp/acme/kb');
    assert.equal(access[0]!.query, '[REDACTED]');
    assert.ok(!app.raw.join('').includes('leaky-token'));
    assert.ok(!app.raw.join('').includes('must never be logged'));
  });

  it('offers SearchModule a decorator that times the search backend', async () => {
    const decorate = app.running.app.get<SearchBackendDecorator>(SEARCH_BACKEND_DECORATOR, { strict: false });
    const backend = decorate({ name: 'fake', ping: async () => undefined } as unknown as SearchBackend);
    await backend.ping();
    const text = await (await fetch(`${app.running.metricsUrl}/metrics`)).text();
    assert.match(text, /^tessera_search_backend_duration_seconds_count\{op="ping",outcome="ok"\} [1-9]/m);
  });

  it('answers liveness and readiness with terminus reports', async () => {
    const live = await fetch(`${app.running.url}/healthz`);
    assert.equal(live.status, 200);
    const liveBody = (await live.json()) as { status: string; info: Record<string, { status: string }> };
    assert.equal(liveBody.status, 'ok');
    assert.equal(liveBody.info.process?.status, 'up');

    const ready = await fetch(`${app.running.url}/readyz`);
    assert.equal(ready.status, 200);
    const readyBody = (await ready.json()) as { status: string; info: Record<string, { status: string }> };
    assert.equal(readyBody.status, 'ok');
    expect(Object.keys(readyBody.info).sort()).toStrictEqual(['accepting', 'database', 'search']);
  });

  it('turns readiness to 503 when a dependency is down, liveness stays up, and no credentials leak', async () => {
    infra.databaseUp = false;
    infra.searchUp = false;
    try {
      const ready = await fetch(`${app.running.url}/readyz`);
      assert.equal(ready.status, 503);
      const text = await ready.text();
      const body = JSON.parse(text) as { status: string; error: Record<string, { status: string; message?: string }> };
      assert.equal(body.status, 'error');
      assert.equal(body.error.database?.status, 'down');
      assert.equal(body.error.search?.message, 'search backend is down');
      assert.ok(!text.includes('user:pw'), 'connection strings are not echoed');
      assert.equal((await fetch(`${app.running.url}/healthz`)).status, 200);
      const warning = app.lines.find((l) => l.msg === 'not ready');
      expect(warning?.failed).toStrictEqual(['database', 'search']);
      assert.equal(warning?.level, 'warn');
      assert.ok(!app.raw.join('').includes('user:pw'));
    } finally {
      infra.databaseUp = true;
      infra.searchUp = true;
    }
  });
});

describe('readiness checks with timeouts and Redis', () => {
  it('fails a check that does not answer within HEALTH_CHECK_TIMEOUT_MS', async () => {
    const { running } = await start({ healthCheckTimeoutMs: 200 });
    infra.databaseHangs = true;
    try {
      const started = Date.now();
      const ready = await fetch(`${running.url}/readyz`);
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { error: Record<string, { message?: string }> };
      assert.equal(body.error.database?.message, 'no answer within 200 ms');
      assert.ok(Date.now() - started < 2_000);
    } finally {
      infra.databaseHangs = false;
      await running.close();
    }
  });

  it('does not wait for a search backend in an app that has none (auth): ready on its database alone', async () => {
    const { running } = await start({}, 0, DatabaseOnlyInfrastructure);
    infra.searchUp = false;
    try {
      const ready = await fetch(`${running.url}/readyz`);
      assert.equal(ready.status, 200);
      const body = (await ready.json()) as { info: Record<string, unknown> };
      expect(Object.keys(body.info).sort()).toStrictEqual(['accepting', 'database']);
    } finally {
      infra.searchUp = true;
      await running.close();
    }
  });

  it('pings Redis when REDIS_URL is set', async () => {
    if (!(await reachable(6379))) throw new Error('no Redis on 127.0.0.1:6379');
    const { running } = await start({ redisUrl: 'redis://127.0.0.1:6379' });
    try {
      const body = (await (await fetch(`${running.url}/readyz`)).json()) as { status: string; info: Record<string, { status: string }> };
      assert.equal(body.status, 'ok');
      assert.equal(body.info.redis?.status, 'up');
    } finally {
      await running.close();
    }
  });

  it('reports an unreachable Redis as degraded and stays ready: the optional Redis cannot take every pod out', async () => {
    const closedPort = await freePort();
    const { running } = await start({ redisUrl: `redis://127.0.0.1:${closedPort}`, healthCheckTimeoutMs: 300 });
    try {
      const ready = await fetch(`${running.url}/readyz`);
      assert.equal(ready.status, 200);
      const body = (await ready.json()) as { status: string; info: Record<string, { status: string; reachable?: boolean; message?: string }> };
      assert.equal(body.status, 'ok');
      assert.equal(body.info.redis?.reachable, false);
      assert.match(body.info.redis?.message ?? '', /^degraded: /);
    } finally {
      await running.close();
    }
  });
});

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startHttpApp shutdown', () => {
  it('close() lets in-flight requests finish, then stops both listeners', async () => {
    const { running } = await start();
    const slow = fetch(`${running.url}/v1/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = running.close();
    const response = await slow;
    assert.equal(response.status, 200);
    expect(await response.json()).toStrictEqual({ slow: true });
    await closed;
    await assert.rejects(fetch(`${running.url}/healthz`));
    await assert.rejects(fetch(`${running.metricsUrl}/metrics`));
  });

  it('on SIGTERM, readiness turns 503 at once while requests are still served for the grace period, then it closes', async () => {
    const { running, lines } = await start({ shutdownGraceMs: 400 });
    const mainHandler = () => undefined; // stands in for the app main's own SIGTERM handler
    process.on('SIGTERM', mainHandler);
    try {
      process.emit('SIGTERM', 'SIGTERM');
      assert.ok(running.app.get(ReadinessState).draining);
      const ready = await fetch(`${running.url}/readyz`);
      assert.equal(ready.status, 503);
      const body = (await ready.json()) as { error: Record<string, { message?: string }> };
      assert.equal(body.error.accepting?.message, 'shutting down');
      const served = await fetch(`${running.url}/healthz`);
      assert.equal(served.status, 200, 'still serving during the grace period');
      assert.equal(served.headers.get('connection'), 'close', 'clients are told to reconnect elsewhere');
      const raw = await fetch(`${running.url}/raw/x`);
      assert.equal(raw.headers.get('connection'), 'close', 'also by raw handlers that write their own headers');
      await running.close(); // what the main's handler does: waits for the same drain
      await assert.rejects(fetch(`${running.url}/healthz`));
      assert.ok(lines.some((l) => l.msg === 'draining: readiness is down, still serving'));
      assert.ok(!lines.some((l) => l.msg === 'not ready'), 'a planned drain is not logged as a failure');
    } finally {
      process.off('SIGTERM', mainHandler);
    }
  });

  it('fails on a busy METRICS_PORT, but moves off a busy default port', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as { port: number }).port;
    try {
      await assert.rejects(start({ metrics: { host: '127.0.0.1', port, explicit: true } }), (error: unknown) => error instanceof ConfigError && /in use/.test(error.message));
      const { running, lines } = await start({ metrics: { host: '127.0.0.1', port, explicit: false } });
      try {
        assert.ok(running.metricsUrl && new URL(running.metricsUrl).port !== String(port));
        assert.equal((await fetch(`${running.metricsUrl}/metrics`)).status, 200);
        assert.ok(lines.some((l) => l.level === 'warn' && String(l.msg).includes('default metrics port is in use')));
      } finally {
        await running.close();
      }
    } finally {
      busy.close();
    }
  });

  it('refuses to put /metrics on the public port, and can run without a metrics listener', async () => {
    const port = await freePort();
    await assert.rejects(start({ metrics: { host: '127.0.0.1', port, explicit: true } }, port), (error: unknown) => error instanceof ConfigError && /METRICS_PORT/.test(error.message));
    const { running } = await start({ metrics: null });
    try {
      assert.equal(running.metricsUrl, undefined);
    } finally {
      await running.close();
    }
  });
});
