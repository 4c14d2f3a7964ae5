import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { StoredDocument, WorkspaceContext } from '@tessera/domain';
import { currentRequestContext, runWithRequestContext, TesseraMetrics } from '@tessera/observability';
import type { AccessTokenEntity, AccessTokenRepository, WorkspaceRepository } from '@tessera/persistence';
import type { SearchBackend } from '@tessera/search';
import { hashSecret, InMemoryRateLimiter, InvalidationEvents, type PlatformConfig, type RateLimiter } from '@tessera/server';
import type { ToolAuditLog } from '../audit/tool-audit-log';
import { ConnectorRateLimits } from '../guard/connector-rate-limits';
import { WorkspaceToolsService } from '../tools/workspace-tools.service';
import { BearerAuthenticator } from '../verification/bearer-authenticator';
import { WorkspaceTokenVerifier } from '../verification/workspace-token.verifier';
import { WorkspaceResolver } from '../workspace/workspace-resolver';
import { McpHttpHandler } from './mcp-http.handler';
import { McpProtocol } from './mcp-protocol';

const TOKEN = 'tsr_handler_spec_token_0123456789';
const HANDBOOK: WorkspaceContext = {
  workspaceId: 'ws-handbook', workspaceSlug: 'handbook', workspaceName: 'Handbook', tenantId: 't-acme', tenantSlug: 'acme', tenantName: 'Acme',
  settings: { searchResultLimit: 10, rateLimits: { workspacePerMinute: 1_000, principalPerMinute: 4, clientPerMinute: 1_000 } },
};
const DOCUMENT = {
  id: 'doc-1', title: 'Leave "policy"', text: 'Ünïcode \u2028 text\n'.repeat(50), url: null, metadata: { team: 'people' },
  acl: { users: [], groups: [] }, flags: [], contentHash: 'h', quarantined: false,
} as unknown as StoredDocument;

/** The handler over in-memory stand-ins for the database and the search backend, served on a real socket. */
async function gateway(options: { limiter?: RateLimiter } = {}) {
  const events = new InvalidationEvents();
  const workspaces = { findContext: async (tenant: string, slug: string) => (tenant === 'acme' && slug === 'handbook' ? HANDBOOK : null) };
  const token = {
    id: 'token-1', workspaceId: HANDBOOK.workspaceId, tokenHash: hashSecret(TOKEN), subject: 'bot@acme.example', groups: [], scopes: ['search', 'fetch'], expiresAt: null,
  } as unknown as AccessTokenEntity;
  const tokens = { findActiveByHash: async (hash: string) => (hash === token.tokenHash ? token : null) };
  const seenRequestIds: Array<string | undefined> = [];
  const backend = {
    name: 'fake',
    get: async (_workspaceId: string, id: string) => {
      seenRequestIds.push(currentRequestContext()?.requestId);
      return id === DOCUMENT.id ? DOCUMENT : null;
    },
  } as unknown as SearchBackend;
  const metrics = TesseraMetrics.create({ defaultMetrics: false });
  const audit = { toolCall: () => undefined } as unknown as ToolAuditLog;
  const platform = { publicUrl: 'http://127.0.0.1:8080', allowedOrigins: ['https://chatgpt.com'] } as unknown as PlatformConfig;
  const handler = new McpHttpHandler(
    platform,
    { issuer: 'http://127.0.0.1:8080', maxRequestBytes: 2_048, jwksUrl: 'http://127.0.0.1:8080/oauth/jwks' },
    new WorkspaceResolver(workspaces as unknown as WorkspaceRepository, events),
    // Stand-in for the directory check (its own tests use PostgreSQL): every verified caller stands as issued.
    new BearerAuthenticator([new WorkspaceTokenVerifier(tokens as unknown as AccessTokenRepository, events)], { check: (principal) => principal }),
    new McpProtocol(new WorkspaceToolsService(backend, audit, metrics)),
    new ConnectorRateLimits(options.limiter ?? new InMemoryRateLimiter()),
    metrics,
  );
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const requestId = `request-${String(++requests).padStart(4, '0')}`;
    runWithRequestContext({ requestId }, () => {
      if (!handler.tryHandle(req, res, ['x-request-id', requestId])) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (body: unknown, headers: Record<string, string> = {}, path = '/mcp/acme/handbook') => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const seen = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id'));
    return { status: response.status, headers: seen, requestId: response.headers.get('x-request-id'), body: await response.text() };
  };
  return { call, metrics, seenRequestIds };
}

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

const rpc = (method: string, params?: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 7, method, ...(params ? { params } : {}) });
const modern = (method: string, params: Record<string, unknown> = {}) =>
  rpc(method, { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } });
const ASYNC_LIMITER = (): RateLimiter => {
  const inner = new InMemoryRateLimiter();
  return { hit: async (key, limit, windowMs, cost) => inner.hit(key, limit, windowMs, cost), close: () => inner.close() };
};

describe('McpHttpHandler: the synchronous path answers as the asynchronous one', () => {
  const cases: Array<[string, unknown, Record<string, string>?]> = [
    ['tools/list', rpc('tools/list')],
    ['initialize', rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } })],
    ['ping', rpc('ping')],
    ['an unknown method', rpc('resources/list')],
    ['fetch', rpc('tools/call', { name: 'fetch', arguments: { id: 'doc-1' } })],
    ['fetch of a missing document', rpc('tools/call', { name: 'fetch', arguments: { id: 'nope' } })],
    ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    ['an invalid message', { jsonrpc: '1.0', id: 3, method: 'ping' }],
    ['a batch', [rpc('ping'), rpc('tools/list')]],
    ['invalid JSON', '{"jsonrpc":'],
    ['a missing token', rpc('ping'), { authorization: '' }],
    ['a wrong token', rpc('ping'), { authorization: 'Bearer tsr_wrong_token_00000000000000' }],
    ['a foreign origin', rpc('ping'), { origin: 'https://evil.example' }],
    ['an allowed origin', rpc('tools/list'), { origin: 'https://chatgpt.com' }],
    ['text/plain', rpc('ping'), { 'content-type': 'text/plain' }],
    ['Accept: text/html', rpc('ping'), { accept: 'text/html' }],
    ['an unsupported protocol version', rpc('ping'), { 'mcp-protocol-version': '1999-01-01' }],
    ['a body over the limit', rpc('tools/call', { name: 'fetch', arguments: { id: 'x'.repeat(4_000) } })],
    ['2026-07-28 tools/list', modern('tools/list'), { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' }],
    ['2026-07-28 fetch', modern('tools/call', { name: 'fetch', arguments: { id: 'doc-1' } }),
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'fetch' }],
    ['2026-07-28 with a mismatched Mcp-Method', modern('tools/list'), { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' }],
    ['2026-07-28 initialize', modern('initialize'), { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'initialize' }],
  ];
  for (const [name, body, headers] of cases) {
    it(`${name}: a cold request (cache misses) and a warm one (all cached) get the same answer`, async () => {
      const { call } = await gateway();
      const cold = await call(body, headers);
      const warm = await call(body, headers);
      expect(warm).toStrictEqual({ ...cold, requestId: warm.requestId });
      const viaAsyncLimiter = await (await gateway({ limiter: ASYNC_LIMITER() })).call(body, headers);
      expect(viaAsyncLimiter).toStrictEqual({ ...cold, requestId: viaAsyncLimiter.requestId });
    });
  }

  it('puts the request id and, for an allowed origin, CORS headers on every answer', async () => {
    const { call } = await gateway();
    for (const [body, headers] of [[rpc('tools/list'), {}], [rpc('ping'), { authorization: '' }], ['{', {}], [rpc('ping'), { 'content-type': 'text/plain' }]] as const) {
      const answer = await call(body, { origin: 'https://chatgpt.com', ...headers });
      assert.match(answer.requestId ?? '', /^request-\d{4}$/);
      assert.equal(answer.headers['access-control-allow-origin'], 'https://chatgpt.com', `status ${answer.status}`);
      assert.equal(answer.headers.vary, 'origin');
    }
  });

  it('limits per principal whether the limiter answers at once or later, with the same Retry-After', async () => {
    for (const limiter of [new InMemoryRateLimiter(), ASYNC_LIMITER()]) {
      const { call } = await gateway({ limiter });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(rpc('ping'))).status);
      expect(statuses).toStrictEqual([200, 200, 200, 200, 429]);
      const refused = await call(rpc('ping'));
      assert.equal(refused.headers['retry-after'], '60');
      assert.equal(JSON.parse(refused.body).error.code, -32029);
    }
  });

  it('charges a batch one rate-limit unit per message, not one per HTTP request', async () => {
    for (const limiter of [new InMemoryRateLimiter(), ASYNC_LIMITER()]) {
      const { call } = await gateway({ limiter });
      const batch = await call([rpc('ping'), rpc('tools/list'), { jsonrpc: '2.0', method: 'notifications/initialized' }]);
      assert.equal(batch.status, 200, 'three messages of a limit of four');
      assert.equal((await call(rpc('ping'))).status, 200, 'the fourth unit');
      const refused = await call(rpc('ping'));
      assert.equal(refused.status, 429);
      expect(JSON.parse(refused.body)).toStrictEqual({ jsonrpc: '2.0', id: 7, error: { code: -32029, message: 'rate limit exceeded; retry after 60 seconds' } });
      const { call: fresh } = await gateway({ limiter: new InMemoryRateLimiter() });
      const tooMany = await fresh(Array.from({ length: 5 }, (_, i) => ({ ...rpc('ping'), id: i })));
      assert.equal(tooMany.status, 429, 'a batch of five over a limit of four is refused whole');
    }
  });

  it('accepts batches only for the revisions that had them (2025-03-26 and earlier, or no version header)', async () => {
    const { call } = await gateway();
    for (const version of ['2025-03-26', '2024-11-05']) {
      assert.equal((await call([rpc('ping')], { 'mcp-protocol-version': version })).status, 200, version);
    }
    for (const version of ['2025-06-18', '2025-11-25']) {
      const refused = await call([rpc('ping')], { 'mcp-protocol-version': version });
      assert.equal(refused.status, 400, version);
      assert.equal(JSON.parse(refused.body).error.code, -32600);
      assert.equal(JSON.parse(refused.body).id, null);
    }
  });

  it("runs tool calls in the request's context, so their log lines carry its id", async () => {
    const { call, seenRequestIds } = await gateway();
    const answer = await call(rpc('tools/call', { name: 'fetch', arguments: { id: 'doc-1' } }));
    assert.equal(answer.status, 200);
    expect(seenRequestIds).toStrictEqual([answer.requestId]);
  });

  it('counts each refusal once, by status', async () => {
    const { call, metrics } = await gateway();
    await call(rpc('ping'), { authorization: '' });
    await call(rpc('ping'));
    const lines = (await metrics.scrape()).split('\n').filter((l) => l.startsWith('tessera_mcp_requests_total{'));
    expect(lines.sort()).toStrictEqual([
      'tessera_mcp_requests_total{method="http",tool="none",outcome="unauthorized",workspace="all"} 1',
      'tessera_mcp_requests_total{method="ping",tool="none",outcome="ok",workspace="all"} 1',
    ]);
  });
});
