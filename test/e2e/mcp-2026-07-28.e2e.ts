/**
 * MCP 2026-07-28 (stateless) on a workspace connector, end to end on real PostgreSQL: every rule of
 * the revision's request checks with the exact HTTP status, JSON-RPC code and id the specification
 * names; then the SDK 2.x client (`@modelcontextprotocol/client`, pinned to 2026-07-28) through
 * OAuth against Tessera's authorization server, and the 1.x SDK (2025 era) on the same URL.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryOAuthProvider } from '../support/mcp-oauth-client';
import { TestBrowser } from '../support/oauth-browser';
import { TEST_REDIRECT } from '../support/oauth-flow';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const V = '2026-07-28';
const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };
const META = { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } };
const SERVER_INFO = { 'io.modelcontextprotocol/serverInfo': { name: 'tessera', version: '0.1.0' } };

interface Answer { status: number; headers: Headers; text: string; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

describe('MCP 2026-07-28 on a workspace connector (postgres)', () => {
  let t: TestPlatform;
  let connector: string;
  let token: string;
  let fetchOnlyToken: string;

  /** A 2026 request with the headers a conforming client sends, each overridable (undefined drops it). */
  async function call(body: unknown, headers: Record<string, string | undefined> = {}): Promise<Answer> {
    const message = body as { method?: string; params?: { name?: unknown } };
    const merged: Record<string, string | undefined> = {
      'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`,
      'mcp-protocol-version': V, 'mcp-method': message.method, 'mcp-name': typeof message.params?.name === 'string' ? message.params.name : undefined, ...headers,
    };
    const sent = Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => e[1] !== undefined));
    const response = await fetch(connector, { method: 'POST', headers: sent, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : undefined };
  }
  const rpc = (method: string, params: Record<string, unknown> = {}, id: unknown = 1) => ({ jsonrpc: '2.0', id, method, params: { _meta: META, ...params } });
  const tool = (name: string, args: Record<string, unknown>, id: unknown = 1) => rpc('tools/call', { name, arguments: args }, id);

  function assertError(answer: Answer, status: number, code: number, id: unknown): void {
    assert.equal(answer.status, status, answer.text.slice(0, 300));
    assert.equal(answer.json.jsonrpc, '2.0');
    assert.equal(answer.json.error?.code, code, answer.text.slice(0, 300));
    if (id === undefined) assert.ok(!('id' in answer.json), `no id member when none could be read: ${answer.text}`);
    else expect(answer.json.id).toStrictEqual(id);
  }

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
    await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: ANA.email, name: 'Ana', password: ANA.password });
    await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/laptops', { title: 'Laptop policy', text: 'Every employee gets a laptop from the IT portal.' });
    const issue = (body: Record<string, unknown>) => t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'bot@acme.example', ...body });
    token = (await issue({})).json.token;
    fetchOnlyToken = (await issue({ scopes: ['fetch'] })).json.token;
  });
  afterAll(async () => t?.close());

  describe('the order of checks, with exact status, code and id', () => {
    it('1. MCP-Protocol-Version missing, or not the body version → 400, -32020, the request id', async () => {
      assertError(await call(rpc('tools/list', {}, 101), { 'mcp-protocol-version': undefined }), 400, -32020, 101);
      assertError(await call(rpc('tools/list', {}, 102), { 'mcp-protocol-version': '2025-11-25' }), 400, -32020, 102);
      // The header is compared before the version itself: a 2026 header over an unknown body version is a mismatch.
      const unknownBody = { ...rpc('tools/list', {}, 103), params: { _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } } };
      assertError(await call(unknownBody), 400, -32020, 103);
    });

    it('2. a version the server does not speak → 400, -32022 with data {supported, requested}', async () => {
      const body = { ...rpc('tools/list', {}, 104), params: { _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } } };
      const answer = await call(body, { 'mcp-protocol-version': 'v999.0.0' });
      assertError(answer, 400, -32022, 104);
      expect(answer.json.error.data).toStrictEqual({ supported: [V], requested: 'v999.0.0' });
      const discover = await call(rpc('server/discover', {}, 105));
      assert.deepEqual(discover.json.result.supportedVersions, answer.json.error.data.supported, 'one list for discover and -32022');
    });

    it('3. a 2026 header over a body without _meta, protocolVersion or clientCapabilities → 400, -32602', async () => {
      assertError(await call({ jsonrpc: '2.0', id: 301, method: 'tools/list' }), 400, -32602, 301);
      assertError(await call({ jsonrpc: '2.0', id: 302, method: 'tools/list', params: { _meta: {} } }), 400, -32602, 302);
      const noCapabilities = { jsonrpc: '2.0', id: 303, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': V } } };
      assertError(await call(noCapabilities), 400, -32602, 303);
      const noClientInfo = { jsonrpc: '2.0', id: 304, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientCapabilities': {} } } };
      assert.equal((await call(noClientInfo)).status, 200, 'clientInfo is optional');
    });

    it('4. Mcp-Method missing, mismatched or of another case → 400, -32020; header names are case-insensitive, values trimmed', async () => {
      assertError(await call(rpc('tools/list', {}, 401), { 'mcp-method': undefined }), 400, -32020, 401);
      assertError(await call(rpc('tools/list', {}, 402), { 'mcp-method': 'prompts/list' }), 400, -32020, 402);
      assertError(await call(rpc('tools/list', {}, 403), { 'mcp-method': 'TOOLS/LIST' }), 400, -32020, 403);
      assert.equal((await call(rpc('tools/list', {}, 404), { 'mcp-method': undefined, 'MCP-METHOD': '  tools/list ' })).status, 200);
    });

    it('5. Mcp-Name missing, mismatched or badly encoded on tools/call → 400, -32020; the =?base64?…?= form is decoded', async () => {
      const search = tool('search', { query: 'laptop' }, 501);
      assertError(await call(search, { 'mcp-name': undefined }), 400, -32020, 501);
      assertError(await call(search, { 'mcp-name': 'fetch' }), 400, -32020, 501);
      assertError(await call(search, { 'mcp-name': '=?base64?not base64!?=' }), 400, -32020, 501);
      assertError(await call(search, { 'mcp-name': `=?base64?${Buffer.from('fetch').toString('base64')}?=` }), 400, -32020, 501);
      const encoded = await call(search, { 'mcp-name': `=?base64?${Buffer.from('search').toString('base64')}?=` });
      assert.equal(encoded.status, 200, encoded.text);
      assert.equal((await call(search, { 'mcp-name': '  search  ' })).status, 200, 'surrounding whitespace is trimmed');
    });

    it('6. methods the revision removed or a connector does not serve → 404, -32601, the request id', async () => {
      const methods = ['initialize', 'ping', 'logging/setLevel', 'resources/list', 'resources/read', 'resources/subscribe', 'prompts/list', 'prompts/get', 'completion/complete', 'subscriptions/listen', 'no/such'];
      for (const [i, method] of methods.entries()) {
        const params = method === 'resources/read' ? { uri: 'file:///x' } : method === 'prompts/get' ? { name: 'p' } : {};
        const answer = await call(rpc(method, params, 600 + i), method === 'resources/read' ? { 'mcp-name': 'file:///x' } : {});
        assertError(answer, 404, -32601, 600 + i);
        assert.equal(answer.text.includes('\n'), false, 'a single JSON line');
      }
    });

    it('refuses a batch (none in 2026-07-28) and an unreadable id without an id member', async () => {
      assertError(await call([rpc('tools/list', {}, 1)], { 'mcp-method': 'tools/list' }), 400, -32600, undefined);
      assertError(await call({ ...rpc('tools/list'), id: { not: 'an id' } }), 400, -32600, undefined);
    });

    it('a tools/call of an unknown tool → -32602 with the id; bad arguments → an isError result, not a protocol error', async () => {
      const unknown = await call(tool('delete_everything', {}, 701));
      assertError(unknown, 200, -32602, 701);
      assert.match(unknown.json.error.message, /Unknown tool: delete_everything/);
      const empty = await call(tool('search', {}, 702));
      assert.equal(empty.status, 200);
      assert.equal(empty.json.result.isError, true);
      assert.equal(empty.json.result.resultType, 'complete');
    });

    it('an insufficient scope → 403 with a challenge naming every scope the call needs, and resource_metadata', async () => {
      const answer = await call(tool('search', { query: 'laptop' }, 801), { authorization: `Bearer ${fetchOnlyToken}` });
      assertError(answer, 403, -32600, 801);
      const challenge = answer.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /error="insufficient_scope"/);
      assert.match(challenge, /scope="search"/);
      assert.match(challenge, /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp\/acme\/handbook"/);
    });
  });

  describe('results', () => {
    it('server/discover: resultType, versions, tools-only capabilities, cache hints, server info and instructions', async () => {
      const { result } = (await call(rpc('server/discover'))).json;
      assert.equal(result.resultType, 'complete');
      expect(result.supportedVersions).toStrictEqual([V]);
      expect(result.capabilities).toStrictEqual({ tools: {} });
      expect(result._meta).toStrictEqual(SERVER_INFO);
      assert.ok(Number.isInteger(result.ttlMs) && result.ttlMs >= 0);
      assert.equal(result.cacheScope, 'public');
      assert.match(result.instructions, /search/);
    });

    it('tools/list: the two tools in a stable order with ttlMs and cacheScope; tools/call: resultType and structured JSON in a text block', async () => {
      const list = (await call(rpc('tools/list'))).json.result;
      expect(list.tools.map((tool: { name: string }) => tool.name)).toStrictEqual(['search', 'fetch']);
      assert.equal(list.resultType, 'complete');
      expect(list._meta).toStrictEqual(SERVER_INFO);
      assert.ok(list.ttlMs > 0);
      assert.equal(list.cacheScope, 'public');
      const fetched = await call(tool('fetch', { id: 'laptops' }));
      const result = fetched.json.result;
      assert.equal(result.resultType, 'complete');
      expect(result._meta).toStrictEqual(SERVER_INFO);
      assert.equal(result.ttlMs, undefined, 'no cache hints on a tool call');
      expect(JSON.parse(result.content[0].text)).toStrictEqual(result.structuredContent);
      assert.equal(result.structuredContent.text, 'Every employee gets a laptop from the IT portal.');
      assert.ok(!fetched.text.includes('notifications/message'), 'no log notifications unless asked');
    });

    it('a 2025-era request on the same URL is answered as before', async () => {
      const legacy = await call({ jsonrpc: '2.0', id: 9, method: 'ping' }, { 'mcp-protocol-version': '2025-11-25', 'mcp-method': undefined });
      expect(legacy.json).toStrictEqual({ jsonrpc: '2.0', id: 9, result: {} });
    });
  });

  describe('real clients on the same connector URL', () => {
    it('the SDK 2.x client, pinned to 2026-07-28, signs in with OAuth (discovery, DCR, PKCE, resource, iss) and searches and fetches', async () => {
      const oauth = new InMemoryOAuthProvider(TEST_REDIRECT, undefined, 'search fetch');
      const options = { versionNegotiation: { mode: { pin: V } } };
      const first = new StreamableHTTPClientTransport(new URL(connector), { authProvider: oauth as never });
      await assert.rejects(new Client({ name: 'sdk-2', version: '2' }, options).connect(first), UnauthorizedError);
      assert.equal(oauth.authorizationUrl?.searchParams.get('resource'), connector);
      const step = await new TestBrowser().authorize(oauth.authorizationUrl!.href, TEST_REDIRECT, ANA);
      await first.finishAuth(step.final.searchParams);

      const sent: Array<{ version: string | null; method: string | null }> = [];
      const recording = async (url: string | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        if (init?.method === 'POST') sent.push({ version: headers.get('mcp-protocol-version'), method: headers.get('mcp-method') });
        return fetch(url, init);
      };
      const client = new Client({ name: 'sdk-2', version: '2' }, options);
      await client.connect(new StreamableHTTPClientTransport(new URL(connector), { authProvider: oauth as never, fetch: recording }));
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toStrictEqual(['search', 'fetch']);
      const search = await client.callTool({ name: 'search', arguments: { query: 'laptop' } });
      expect((search.structuredContent as { results: Array<{ id: string }> }).results.map((r) => r.id)).toStrictEqual(['laptops']);
      const fetched = await client.callTool({ name: 'fetch', arguments: { id: 'laptops' } });
      assert.equal((fetched.structuredContent as { title: string }).title, 'Laptop policy');
      assert.ok(sent.length >= 3);
      assert.ok(sent.every((request) => request.version === V && request.method !== 'initialize'), JSON.stringify(sent));
      await client.close();
    });

    it("the SDK 2.x client in 'auto' mode finds 2026-07-28 through server/discover (a workspace access token, no OAuth)", async () => {
      const methods: Array<string | null> = [];
      const recording = async (url: string | URL, init?: RequestInit) => {
        if (init?.method === 'POST') methods.push(new Headers(init.headers).get('mcp-method'));
        return fetch(url, init);
      };
      const client = new Client({ name: 'sdk-2-auto', version: '2' }, { versionNegotiation: { mode: 'auto' } });
      await client.connect(new StreamableHTTPClientTransport(new URL(connector), { requestInit: { headers: { authorization: `Bearer ${token}` } }, fetch: recording }));
      const search = await client.callTool({ name: 'search', arguments: { query: 'laptop' } });
      expect((search.structuredContent as { results: Array<{ id: string }> }).results.map((r) => r.id)).toStrictEqual(['laptops']);
      assert.equal(methods[0], 'server/discover', JSON.stringify(methods));
      assert.ok(!methods.includes('initialize'), 'no fallback to the 2025 handshake');
      await client.close();
    });

    it('the 1.x SDK client (2025 era, initialize) searches and fetches on the same URL', async () => {
      const client = new LegacyClient({ name: 'sdk-1', version: '1' });
      await client.connect(new LegacyTransport(new URL(connector), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      const search = await client.callTool({ name: 'search', arguments: { query: 'laptop' } });
      expect((search.structuredContent as { results: Array<{ id: string }> }).results.map((r) => r.id)).toStrictEqual(['laptops']);
      const fetched = await client.callTool({ name: 'fetch', arguments: { id: 'laptops' } });
      assert.equal((fetched.structuredContent as { title: string }).title, 'Laptop policy');
      await client.close();
    });
  });
});
