/**
 * The MCP endpoint spoken to raw, the way a hostile or sloppy client would: transport headers, JSON-RPC
 * framing, tool arguments and bearer tokens that are wrong in every way, and what the caller sees.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { MAX_QUERY_CHARS } from '../../apps/mcp-gateway/src/tools/workspace-tools.service';

interface McpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const ACCEPT = 'application/json, text/event-stream';

describe('MCP protocol over raw HTTP (postgres)', () => {
  let t: TestPlatform;
  let connector: string;
  let token: string;
  let fetchOnlyToken: string;
  let searchOnlyToken: string;

  /** POSTs (or sends `method`) to the connector with a valid token, JSON content type and Accept unless overridden. */
  async function call(body: unknown, headers: Record<string, string | undefined> = {}, method = 'POST', url = connector): Promise<McpResponse> {
    const merged: Record<string, string> = {};
    for (const [name, value] of Object.entries({ 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${token}`, ...headers })) {
      if (value !== undefined) merged[name] = value;
    }
    const response = await fetch(url, {
      method,
      headers: merged,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  const rpc = (method: string, params?: Record<string, unknown>, id: unknown = 1) => ({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
  const tool = (name: string, args?: unknown, id: unknown = 1) => rpc('tools/call', args === undefined ? { name } : { name, arguments: args }, id);

  function assertRpcError(response: McpResponse, code: number, id: unknown): void {
    assert.equal(response.json?.jsonrpc, '2.0', `${response.status} ${response.text.slice(0, 300)}`);
    expect(response.json.id).toStrictEqual(id);
    assert.equal(response.json.error?.code, code, response.text.slice(0, 300));
    assert.equal(typeof response.json.error.message, 'string');
    assert.equal(response.json.result, undefined);
  }

  function assertToolError(response: McpResponse, message: RegExp): void {
    assert.equal(response.status, 200, response.text.slice(0, 300));
    assert.equal(response.json.error, undefined, `a tool failure is a result, not a protocol error: ${response.text.slice(0, 300)}`);
    assert.equal(response.json.result.isError, true, response.text.slice(0, 300));
    assert.equal(response.json.result.content[0].type, 'text');
    assert.match(response.json.result.content[0].text, message);
    assert.doesNotMatch(response.json.result.content[0].text, /temporarily unavailable|internal/);
  }

  function assertChallenge(response: McpResponse, error?: string): void {
    assert.equal(response.status, 401, response.text.slice(0, 300));
    const challenge = response.headers.get('www-authenticate') ?? '';
    assert.match(challenge, /^Bearer /);
    assert.match(challenge, /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp\/acme\/handbook"/);
    assert.match(challenge, /scope="search fetch"/);
    if (error) assert.match(challenge, new RegExp(`error="${error}"`));
    assertRpcError(response, -32600, null);
  }

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    const ws = await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' });
    connector = ws.json.connectorUrl;
    await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/laptops', { title: 'Laptop policy', text: 'Every employee gets a laptop from the IT portal.' });
    const issue = (body: Record<string, unknown>) => t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'ana@acme.example', ...body });
    token = (await issue({})).json.token;
    fetchOnlyToken = (await issue({ scopes: ['fetch'] })).json.token;
    searchOnlyToken = (await issue({ scopes: ['search'] })).json.token;
  });
  afterAll(async () => t?.close());

  describe('origin and CORS', () => {
    it('refuses a request from a foreign browser origin with 403, before looking at the token', async () => {
      for (const origin of ['https://evil.example', 'null', 'https://chatgpt.com.evil.example', 'http://chatgpt.com', 'https://evil.example/https://chatgpt.com']) {
        for (const authorization of [`Bearer ${token}`, undefined]) {
          const response = await call(rpc('tools/list'), { origin, authorization });
          assert.equal(response.status, 403, `${origin}: ${response.status}`);
          assert.equal(response.headers.get('access-control-allow-origin'), null);
          assert.equal(response.json?.result, undefined);
        }
      }
      const preflight = await call(undefined, { origin: 'https://evil.example', 'access-control-request-method': 'POST' }, 'OPTIONS');
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    });

    it('serves https://chatgpt.com with CORS headers that let it read the answer and the challenge', async () => {
      const ok = await call(rpc('ping'), { origin: 'https://chatgpt.com' });
      assert.equal(ok.status, 200);
      expect(ok.json).toStrictEqual({ jsonrpc: '2.0', id: 1, result: {} });
      assert.equal(ok.headers.get('access-control-allow-origin'), 'https://chatgpt.com');
      assert.match(ok.headers.get('vary') ?? '', /origin/i);
      const unauthenticated = await call(rpc('ping'), { origin: 'https://chatgpt.com', authorization: undefined });
      assert.equal(unauthenticated.status, 401);
      assert.equal(unauthenticated.headers.get('access-control-allow-origin'), 'https://chatgpt.com');
      assert.match(unauthenticated.headers.get('access-control-expose-headers') ?? '', /www-authenticate/i);
    });

    it('answers a CORS preflight from an allowed origin', async () => {
      const response = await call(undefined, {
        origin: 'https://chatgpt.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
        authorization: undefined,
        'content-type': undefined,
      }, 'OPTIONS');
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), 'https://chatgpt.com');
      assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
      const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const header of ['authorization', 'content-type', 'mcp-protocol-version']) assert.ok(allowed.includes(header), allowed);
    });
  });

  describe('transport', () => {
    it('answers GET, DELETE, PUT and HEAD with 405 and Allow: POST', async () => {
      for (const method of ['GET', 'DELETE', 'PUT']) {
        const response = await call(method === 'PUT' ? rpc('ping') : undefined, {}, method);
        assert.equal(response.status, 405, method);
        assert.equal(response.headers.get('allow'), 'POST');
      }
      assert.equal((await call(undefined, {}, 'HEAD')).status, 405);
    });

    it('answers a body that is not declared as application/json with 415', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonl', 'text/event-stream', undefined]) {
        const response = await call(JSON.stringify(rpc('ping')), { 'content-type': contentType ?? '' });
        assert.equal(response.status, 415, `${contentType}: ${response.status}`);
        assertRpcError(response, -32600, null);
      }
      assert.equal((await call(rpc('ping'), { 'content-type': 'application/json; charset=utf-8' })).status, 200);
    });

    it('answers Accept: text/html with 406, and accepts application/json', async () => {
      const response = await call(rpc('ping'), { accept: 'text/html' });
      assert.equal(response.status, 406);
      assertRpcError(response, -32600, null);
      assert.equal((await call(rpc('ping'), { accept: 'application/json' })).status, 200);
    });

    it('answers an unsupported MCP-Protocol-Version with 400 and accepts a supported one', async () => {
      const response = await call(rpc('ping'), { 'mcp-protocol-version': '1999-01-01' });
      assert.equal(response.status, 400);
      assertRpcError(response, -32600, null);
      assert.match(response.json.error.message, /2025-06-18/);
      assert.equal((await call(rpc('ping'), { 'mcp-protocol-version': '2025-06-18' })).status, 200);
    });

    it('answers a body over 1 MiB with 413, whether its length is declared or not', async () => {
      const big = JSON.stringify(tool('search', { query: 'x'.repeat(1024 * 1024) }));
      const declared = await call(big);
      assert.equal(declared.status, 413);
      assertRpcError(declared, -32600, null);

      const url = new URL(connector);
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024));
        req.end();
      });
      assert.equal(chunked, 413);
      assert.equal((await call(rpc('ping'))).status, 200, 'the server still answers afterwards');
    });

    it('answers 404 for a workspace that does not exist or a malformed path', async () => {
      for (const path of ['/mcp/acme/nope', '/mcp/ACME/handbook', '/mcp/nope/handbook', '/mcp/acme/handbook/extra', '/mcp/acme', '/mcp/acme/%2e%2e']) {
        const response = await call(rpc('ping'), {}, 'POST', `${t.baseUrl}${path}`);
        assert.equal(response.status, 404, `${path}: ${response.status}`);
      }
    });
  });

  describe('JSON-RPC framing', () => {
    it('answers invalid JSON with 400, -32700 and id null', async () => {
      for (const body of ['{"jsonrpc":"2.0","id":1,', 'not json', '', '\u0000']) {
        const response = await call(body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assertRpcError(response, -32700, null);
      }
    });

    it('answers a missing or wrong jsonrpc version with -32600 and the request id', async () => {
      for (const jsonrpc of [undefined, '1.0', 2, null]) {
        const response = await call({ ...(jsonrpc === undefined ? {} : { jsonrpc }), id: 42, method: 'ping' });
        assert.ok([200, 400].includes(response.status), `${response.status}`);
        assertRpcError(response, -32600, 42);
      }
    });

    it('answers an id that is an object, null, a huge string or a float with -32600 and id null', async () => {
      for (const id of [{ a: 1 }, null, 'x'.repeat(10_000), 1.5, [1], true]) {
        const response = await call({ jsonrpc: '2.0', id, method: 'ping' });
        assert.ok([200, 400].includes(response.status), `${response.status}`);
        assertRpcError(response, -32600, null);
        assert.ok(response.text.length < 1000, 'the error must not echo a huge id');
      }
    });

    it('answers a body that is a JSON scalar with -32600', async () => {
      for (const body of ['42', '"ping"', 'null', 'true']) {
        const response = await call(body);
        assert.ok([200, 400].includes(response.status), `${body}: ${response.status}`);
        assertRpcError(response, -32600, null);
      }
    });

    it('answers an unknown method with -32601 and the same id', async () => {
      const response = await call(rpc('resources/list', undefined, 'req-7'));
      assert.equal(response.status, 200);
      assertRpcError(response, -32601, 'req-7');
      assertRpcError(await call(rpc('admin/dropWorkspace', {}, 8)), -32601, 8);
    });

    it('answers params that are not an object with -32600', async () => {
      assertRpcError(await call({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: [1, 2] }), -32600, 3);
    });

    it('answers a notification alone with 202 and an empty body', async () => {
      const response = await call({ jsonrpc: '2.0', method: 'notifications/initialized' });
      assert.equal(response.status, 202);
      assert.equal(response.text, '');
      const clientResponse = await call({ jsonrpc: '2.0', id: 5, result: {} });
      assert.equal(clientResponse.status, 202);
      assert.equal(clientResponse.text, '');
    });

    it('answers a batch of two requests with an array of two replies', async () => {
      const response = await call([rpc('ping', undefined, 'a'), rpc('tools/list', undefined, 'b')]);
      assert.equal(response.status, 200);
      assert.ok(Array.isArray(response.json), response.text.slice(0, 200));
      assert.equal(response.json.length, 2);
      expect(response.json.map((m: { id: string }) => m.id).sort()).toStrictEqual(['a', 'b']);
      expect(response.json.find((m: { id: string }) => m.id === 'a').result).toStrictEqual({});
      assert.ok(Array.isArray(response.json.find((m: { id: string }) => m.id === 'b').result.tools));
      // A fetch answered alone and in a batch, the second time from what the gateway holds: the same result either way.
      const fetchLaptops = (id: number) => rpc('tools/call', { name: 'fetch', arguments: { id: 'laptops' } }, id);
      const alone = await call(fetchLaptops(7));
      const batched = await call([fetchLaptops(8), rpc('ping', undefined, 9)]);
      assert.equal(alone.status, 200);
      assert.equal(batched.status, 200);
      assert.equal(alone.json.result.structuredContent.text, 'Every employee gets a laptop from the IT portal.');
      expect(batched.json.find((m: { id: number }) => m.id === 8).result).toStrictEqual(alone.json.result);
      assert.equal(Number(alone.headers.get('content-length')), Buffer.byteLength(alone.text));
      const mixed = await call([rpc('ping', undefined, 1), { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: { bad: 1 }, method: 'ping' }]);
      assert.equal(mixed.status, 200);
      assert.equal(mixed.json.length, 2, 'one reply per request, none for the notification');
    });

    it('answers an empty batch and a batch of 21 with 400', async () => {
      for (const batch of [[], Array.from({ length: 21 }, (_, i) => rpc('ping', undefined, i))]) {
        const response = await call(batch);
        assert.equal(response.status, 400, `batch of ${batch.length}`);
        assertRpcError(response, -32600, null);
      }
      const twenty = await call(Array.from({ length: 20 }, (_, i) => rpc('ping', undefined, i)));
      assert.equal(twenty.status, 200);
      assert.equal(twenty.json.length, 20);
    });

    it('negotiates the protocol version in initialize', async () => {
      const response = await call(rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }));
      assert.equal(response.json.result.protocolVersion, '2025-06-18');
      expect(response.json.result.capabilities).toStrictEqual({ tools: { listChanged: false } });
      const old = await call(rpc('initialize', { protocolVersion: '1999-01-01', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }));
      assert.notEqual(old.json.result.protocolVersion, '1999-01-01');
    });
  });

  describe('tools', () => {
    it('answers an unknown tool or a call without a name with -32602', async () => {
      assertRpcError(await call(tool('delete_everything', {}, 11)), -32602, 11);
      assertRpcError(await call(rpc('tools/call', {}, 12)), -32602, 12);
      assertRpcError(await call(rpc('tools/call', { name: 42 }, 13)), -32602, 13);
      assertRpcError(await call(rpc('tools/call', { name: 'search', arguments: ['q'] }, 14)), -32602, 14);
    });

    it('answers search with missing, extra or wrong-typed arguments with a tool error the model can act on', async () => {
      assertToolError(await call(tool('search')), /query/);
      assertToolError(await call(tool('search', {})), /query/);
      assertToolError(await call(tool('search', { query: 'laptop', workspace: 'globex' })), /remove "workspace"/);
      assertToolError(await call(tool('search', { query: 42 })), /"query" string/);
      assertToolError(await call(tool('search', { query: ['laptop'] })), /"query" string/);
      assertToolError(await call(tool('search', { query: null })), /"query" string/);
    });

    it('answers a query over the length cap with a tool error, and accepts one at the cap', async () => {
      const over = 'laptop '.repeat(Math.ceil((MAX_QUERY_CHARS + 1) / 7));
      assertToolError(await call(tool('search', { query: over })), /too long/);
      const words = 'laptop portal request ';
      const atCap = words.repeat(Math.floor(MAX_QUERY_CHARS / words.length)).trim();
      const limit = await call(tool('search', { query: atCap }));
      assert.equal(limit.json.result.isError, undefined, limit.text.slice(0, 300));
    });

    it('answers a query of stop words only, or of no words at all, with a helpful tool error', async () => {
      for (const query of ['the and of', '', '   ', '?!', 'a an the']) assertToolError(await call(tool('search', { query })), /keywords/);
    });

    it('answers a query with control characters as a search, never as an outage', async () => {
      const response = await call(tool('search', { query: 'laptop\u0007portal\u001b' }));
      assert.equal(response.status, 200);
      assert.doesNotMatch(JSON.stringify(response.json), /temporarily unavailable/);
    });

    it('refuses a NUL or an unpaired surrogate in any argument with 400 Invalid Request, never as an outage', async () => {
      for (const args of [{ query: 'laptop\u0000portal' }, { query: 'laptop \uD800' }]) {
        const response = await call(tool('search', args));
        assert.equal(response.status, 400, response.text);
        assertRpcError(response, -32600, 1); // the request's id, which could be read
        assert.match(response.json.error.message, /NUL|surrogate/);
      }
    });

    it('answers fetch of a missing id, a non-string id or extra arguments with a tool error', async () => {
      assertToolError(await call(tool('fetch', { id: 'no-such-doc' })), /no document with id "no-such-doc"/);
      assertToolError(await call(tool('fetch', { id: '../laptops' })), /no document/);
      assertToolError(await call(tool('fetch', { id: 7 })), /"id" string/);
      assertToolError(await call(tool('fetch', {})), /"id" string/);
      assertToolError(await call(tool('fetch', { id: 'laptops', tenant: 'globex' })), /remove "tenant"/);
    });

    it('refuses fetch of an id with a NUL character with 400 Invalid Request, never as an outage', async () => {
      const response = await call(tool('fetch', { id: 'lap\u0000tops' }));
      assert.equal(response.status, 400, response.text);
      assertRpcError(response, -32600, 1); // the request's id, which could be read
    });

    it('searches and fetches for a valid call', async () => {
      const search = await call(tool('search', { query: 'laptop' }));
      expect(JSON.parse(search.json.result.content[0].text).results.map((r: { id: string }) => r.id)).toStrictEqual(['laptops']);
      const fetched = await call(tool('fetch', { id: 'laptops' }));
      assert.equal(JSON.parse(fetched.json.result.content[0].text).title, 'Laptop policy');
    });
  });

  describe('authorization', () => {
    it('answers search with a fetch-only token with 403 insufficient_scope naming the search scope', async () => {
      const response = await call(tool('search', { query: 'laptop' }, 21), { authorization: `Bearer ${fetchOnlyToken}` });
      assert.equal(response.status, 403, response.text);
      const challenge = response.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /^Bearer /);
      assert.match(challenge, /error="insufficient_scope"/);
      assert.match(challenge, /scope="search"/);
      assert.match(challenge, /resource_metadata="/);
      assertRpcError(response, -32600, 21);
      assert.doesNotMatch(response.text, /laptops|Laptop policy/);
      const allowed = await call(tool('fetch', { id: 'laptops' }), { authorization: `Bearer ${fetchOnlyToken}` });
      assert.equal(allowed.status, 200);
      assert.equal(allowed.json.result.isError, undefined);
    });

    it('answers fetch with a search-only token with 403 naming the fetch scope', async () => {
      const response = await call(tool('fetch', { id: 'laptops' }), { authorization: `Bearer ${searchOnlyToken}` });
      assert.equal(response.status, 403);
      assert.match(response.headers.get('www-authenticate') ?? '', /scope="fetch"/);
      assert.doesNotMatch(response.text, /IT portal/);
    });

    it('answers a batch that needs a scope the token lacks as it answers one message: 403 naming every scope the batch needs', async () => {
      const batch = [tool('fetch', { id: 'laptops' }, 31), tool('search', { query: 'laptop' }, 32)];
      const response = await call(batch, { authorization: `Bearer ${fetchOnlyToken}` });
      assert.equal(response.status, 403, response.text);
      const challenge = response.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /error="insufficient_scope"/);
      assert.match(challenge, /scope="fetch search"/, 'every scope the request needs, in one challenge');
      assert.match(challenge, /resource_metadata="/);
      assertRpcError(response, -32600, null);
      assert.doesNotMatch(response.text, /IT portal/, 'no part of the batch was answered');
    });

    it('answers a missing token with 401 and a challenge without an error code', async () => {
      const response = await call(rpc('tools/list'), { authorization: undefined });
      assertChallenge(response);
      assert.doesNotMatch(response.headers.get('www-authenticate') ?? '', /error=/);
    });

    it('answers malformed Authorization headers with 401 invalid_token and a challenge', async () => {
      for (const authorization of ['Basic eDp5', 'Bearer', 'Bearer ', `Bearer ${'a'.repeat(9000)}`, `Bearer tsr_${'a'.repeat(9000)}`, `Bearer ${token} extra`, `Token ${token}`, `${token}`, 'Bearer tsr_forged', 'Bearer tsk_not-for-mcp', `Bearer ${t.adminToken}`]) {
        assertChallenge(await call(rpc('tools/list'), { authorization }), 'invalid_token');
      }
      assert.equal((await call(rpc('ping'), { authorization: `bearer ${token}` })).status, 200, 'the scheme is case-insensitive');
    });

    it('does not take a token from the query string or a cookie', async () => {
      assertChallenge(await call(rpc('tools/list'), { authorization: undefined }, 'POST', `${connector}?access_token=${token}`));
      assertChallenge(await call(rpc('tools/list'), { authorization: undefined, cookie: `access_token=${token}` }));
    });

    it('answers an expired token with 401 invalid_token', async () => {
      const issued = await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'temp@acme.example', expiresInDays: 1 });
      await t.platform.app.get(DataSource).query(`UPDATE workspace_access_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [issued.json.id]);
      assertChallenge(await call(rpc('tools/list'), { authorization: `Bearer ${issued.json.token}` }), 'invalid_token');
      assertChallenge(await call(tool('search', { query: 'laptop' }), { authorization: `Bearer ${issued.json.token}` }), 'invalid_token');
    });

    it('serves Protected Resource Metadata whose resource is exactly the connector URL', async () => {
      const response = await fetch(`${t.baseUrl}/.well-known/oauth-protected-resource/mcp/acme/handbook`);
      assert.equal(response.status, 200);
      const metadata = (await response.json()) as { resource: string; scopes_supported: string[]; bearer_methods_supported: string[] };
      assert.equal(metadata.resource, connector);
      expect(metadata.scopes_supported).toStrictEqual(['search', 'fetch']);
      expect(metadata.bearer_methods_supported).toStrictEqual(['header']);
      assert.equal((await fetch(`${t.baseUrl}/.well-known/oauth-protected-resource/mcp/acme/nope`)).status, 404);
      assert.equal((await fetch(`${t.baseUrl}/.well-known/oauth-protected-resource/mcp/acme/handbook`, { method: 'POST' })).status, 405);
    });
  });
});
