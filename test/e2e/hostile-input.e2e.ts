/**
 * Hostile text at the edge: NUL characters, unpaired surrogates and bytes that are not UTF-8, in path
 * segments, query parameters, JSON and form bodies and Basic credentials, on every app's routes. Each
 * is refused with 400 in the shape its callers read, and nothing answers 5xx.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TesseraMetrics } from '@tessera/observability';
import { DataSource } from 'typeorm';
import { ToolAuditLog } from '../../apps/mcp-gateway/src/audit/tool-audit-log';
import { mcpRequest, readBody, startTestPlatform, type TestPlatform } from '../support/platform';

type Family = 'api' | 'oauth' | 'mcp';

/** Percent-encoded: NUL, an encoded surrogate (ED A0 80), an overlong NUL, a lone continuation byte, a byte never in UTF-8. */
const IN_URL = ['%00', 'x%00y', '%ED%A0%80', '%C0%80', '%80', '%FF'];
/** In JSON strings: NUL, a lone high and a lone low surrogate, reversed pair. */
const IN_JSON = ['x\u0000', '\uD800', 'a\uDC00b', '\uDC00\uD800'];
/** In form bodies (percent-encoded, like URLs). */
const IN_FORM = ['%00', 'abc%00', '%ED%A0%80', '%FF'];

interface Case {
  readonly name: string;
  readonly family: Family;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

describe('hostile input is refused at the edge with 400, never 5xx', () => {
  let t: TestPlatform;
  let token: string;
  const WS = '/v1/tenants/acme/workspaces/kb';
  const MCP = '/mcp/acme/kb';

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).status, 201);
    assert.equal((await t.api('PUT', `${WS}/documents/welcome`, { title: 'Welcome', text: 'Welcome to the laptop handbook.' })).status, 201);
    token = (await t.api('POST', `${WS}/access-tokens`, { subject: 'ana@acme.example' })).json.token;
  });
  afterAll(async () => t?.close());

  async function send(c: Case): Promise<{ status: number; json: any; text: string }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(t.baseUrl + c.path, { method: c.method, headers: c.headers, body: c.body, redirect: 'manual' });
    return { status: response.status, ...(await readBody(response)) };
  }

  function assertRefused(c: Case, response: { status: number; json: any; text: string }): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const what = `${c.name}: ${c.method} ${c.path.slice(0, 120)} → ${response.status} ${response.text.slice(0, 200)}`;
    assert.equal(response.status, 400, what);
    if (c.family === 'api') {
      assert.equal(response.json?.code, 'validation_failed', what);
      assert.deepEqual(Object.keys(response.json).sort(), ['code', 'message'], what);
    } else if (c.family === 'oauth') {
      assert.equal(response.json?.error, 'invalid_request', what);
      assert.equal(typeof response.json?.error_description, 'string', what);
    } else {
      assert.equal(response.json?.jsonrpc, '2.0', what);
      assert.ok([-32600, -32700].includes(response.json?.error?.code), what);
    }
  }

  const admin = () => ({ authorization: `Bearer ${t.adminToken}` });
  const adminJson = () => ({ ...admin(), 'content-type': 'application/json' });
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  function pathCases(bad: string): Case[] {
    return [
      { name: 'tenant slug', family: 'api', method: 'GET', path: `/v1/tenants/${bad}` },
      { name: 'workspace slug', family: 'api', method: 'GET', path: `/v1/tenants/acme/workspaces/${bad}` },
      { name: 'document id', family: 'api', method: 'GET', path: `${WS}/documents/${bad}` },
      { name: 'document id (delete)', family: 'api', method: 'DELETE', path: `${WS}/documents/${bad}` },
      { name: 'access token id', family: 'api', method: 'DELETE', path: `${WS}/access-tokens/${bad}` },
      { name: 'OAuth client id', family: 'api', method: 'DELETE', path: `${WS}/oauth-clients/${bad}` },
      { name: 'user email (consents)', family: 'api', method: 'GET', path: `${WS}/users/${bad}/consents` },
      { name: 'consent grant id', family: 'api', method: 'DELETE', path: `${WS}/users/ana@acme.example/consents/${bad}` },
      { name: 'interaction uid', family: 'oauth', method: 'GET', path: `/oauth/interaction/${bad}` },
      { name: 'MCP workspace', family: 'mcp', method: 'POST', path: `/mcp/acme/${bad}` },
      { name: 'resource metadata', family: 'api', method: 'GET', path: `/.well-known/oauth-protected-resource/mcp/acme/${bad}` },
    ].map((c) => ({ ...c, headers: c.family === 'api' ? admin() : undefined }) as Case);
  }

  function queryCases(bad: string): Case[] {
    const authorize = `response_type=code&redirect_uri=https%3A%2F%2Fchatgpt.com%2Fconnector_platform_oauth_redirect&code_challenge=abc&code_challenge_method=S256`;
    return [
      { name: 'audit actor', family: 'api', method: 'GET', path: `/v1/tenants/acme/audit?actor=${bad}`, headers: admin() },
      { name: 'audit outcome', family: 'api', method: 'GET', path: `/v1/tenants/acme/audit?outcome=${bad}`, headers: admin() },
      { name: 'authorize client_id', family: 'oauth', method: 'GET', path: `/oauth/authorize?client_id=${bad}&${authorize}` },
      { name: 'federation callback state', family: 'oauth', method: 'GET', path: `/oauth/federation/callback?state=${bad}&code=abc` },
      { name: 'MCP query', family: 'mcp', method: 'POST', path: `${MCP}?x=${bad}` },
      { name: 'a query parameter nobody reads', family: 'api', method: 'GET', path: `/healthz?probe=${bad}` },
    ];
  }

  function jsonCases(bad: string): Case[] {
    const json = (value: unknown) => JSON.stringify(value);
    return [
      { name: 'tenant name', family: 'api', method: 'POST', path: '/v1/tenants', headers: adminJson(), body: json({ slug: 'evil', name: bad }) },
      { name: 'workspace name', family: 'api', method: 'POST', path: '/v1/tenants/acme/workspaces', headers: adminJson(), body: json({ slug: 'evil', name: bad }) },
      { name: 'workspace patch', family: 'api', method: 'PATCH', path: WS, headers: adminJson(), body: json({ name: bad }) },
      { name: 'user email', family: 'api', method: 'POST', path: `${WS}/users`, headers: adminJson(), body: json({ email: bad }) },
      { name: 'access token subject', family: 'api', method: 'POST', path: `${WS}/access-tokens`, headers: adminJson(), body: json({ subject: bad }) },
      { name: 'OAuth client name', family: 'api', method: 'POST', path: `${WS}/oauth-clients`, headers: adminJson(), body: json({ client_name: bad, redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'] }) },
      { name: 'document text', family: 'api', method: 'PUT', path: `${WS}/documents/evil`, headers: adminJson(), body: json({ title: 'T', text: bad }) },
      { name: 'a key', family: 'api', method: 'PUT', path: `${WS}/documents/evil`, headers: adminJson(), body: json({ title: 'T', text: 'ok', metadata: { [bad]: 'v' } }) },
      { name: 'identity provider issuer', family: 'api', method: 'PUT', path: '/v1/tenants/acme/identity-provider', headers: adminJson(), body: json({ issuer: bad, clientId: 'x', clientSecret: 'y' }) },
      { name: 'DCR client_name', family: 'oauth', method: 'POST', path: '/oauth/register', headers: { 'content-type': 'application/json' },
        body: json({ client_name: bad, redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'], token_endpoint_auth_method: 'none' }) },
      { name: 'MCP fetch id', family: 'mcp', method: 'POST', path: MCP, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: json({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch', arguments: { id: bad } } }) },
      { name: 'MCP search query', family: 'mcp', method: 'POST', path: MCP, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: json({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: bad } } }) },
    ];
  }

  function formCases(bad: string): Case[] {
    return [
      { name: 'token client_id', family: 'oauth', method: 'POST', path: '/oauth/token', headers: form, body: `grant_type=authorization_code&code=abc&code_verifier=x&client_id=${bad}` },
      { name: 'token code', family: 'oauth', method: 'POST', path: '/oauth/token', headers: form, body: `grant_type=authorization_code&code=${bad}&client_id=abc` },
      { name: 'PAR client_id', family: 'oauth', method: 'POST', path: '/oauth/par', headers: form, body: `client_id=${bad}&response_type=code` },
      { name: 'revoke client_id', family: 'oauth', method: 'POST', path: '/oauth/revoke', headers: form, body: `token=abc&client_id=${bad}` },
      { name: 'authorize (POST) client_id', family: 'oauth', method: 'POST', path: '/oauth/authorize', headers: form, body: `client_id=${bad}&response_type=code` },
      { name: 'introspect token', family: 'oauth', method: 'POST', path: '/oauth/introspect', headers: form, body: `token=${bad}` },
      { name: 'token Basic credentials', family: 'oauth', method: 'POST', path: '/oauth/token',
        headers: { ...form, authorization: `Basic ${Buffer.from(`${bad}:secret`, 'latin1').toString('base64')}` }, body: 'grant_type=refresh_token&refresh_token=abc' },
      { name: 'login form', family: 'oauth', method: 'POST', path: '/oauth/interaction/some-uid/login', headers: form, body: `email=${bad}&password=x` },
    ];
  }

  it('refuses them in path segments', async () => {
    for (const bad of IN_URL) for (const c of pathCases(bad)) assertRefused(c, await send(c));
  });

  it('refuses them in query parameters', async () => {
    for (const bad of IN_URL) for (const c of queryCases(bad)) assertRefused(c, await send(c));
  });

  it('refuses them in JSON bodies, values and keys', async () => {
    for (const bad of IN_JSON) for (const c of jsonCases(bad)) assertRefused(c, await send(c));
  });

  it('echoes the JSON-RPC id of a refused MCP message whenever it can be read', async () => {
    const legacy = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const modern = { ...legacy, 'mcp-protocol-version': '2026-07-28' };
    const call = (id: unknown, query: string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'search', arguments: { query } } });
    const mcp = (headers: Record<string, string>, body: string): Case => ({ name: 'MCP id', family: 'mcp', method: 'POST', path: MCP, headers, body });
    for (const bad of IN_JSON) {
      for (const [headers, id] of [[legacy, 7], [modern, 'req-9']] as const) {
        const c = mcp(headers, call(id, bad));
        const answer = await send(c);
        assertRefused(c, answer);
        assert.equal(answer.json.id, id, answer.text);
      }
      // An id that is itself the hostile text is not echoed: null before 2026-07-28, left out from it on.
      const before = await send(mcp(legacy, call(`id${bad}`, 'laptop')));
      assert.equal(before.status, 400);
      assert.equal(before.json.id, null, before.text);
      const from = await send(mcp(modern, call(`id${bad}`, 'laptop')));
      assert.equal(from.status, 400);
      assert.equal('id' in from.json, false, from.text);
    }
    const unparsable = await send(mcp(modern, '{"jsonrpc":"2.0","id":3,'));
    assert.equal(unparsable.status, 400);
    assert.equal(unparsable.json.error.code, -32700);
    assert.equal('id' in unparsable.json, false, unparsable.text);
    const unparsableLegacy = await send(mcp(legacy, '{"jsonrpc":"2.0","id":3,'));
    assert.equal(unparsableLegacy.json.id, null, unparsableLegacy.text);
  });

  it('refuses them in form bodies and Basic credentials', async () => {
    for (const bad of IN_FORM) for (const c of formCases(bad)) assertRefused(c, await send(c));
  });

  it('refuses bodies that are not UTF-8', async () => {
    const notUtf8 = Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"name":"\xff\xfe"}
    const cases: Array<Case & { raw: Buffer }> = [
      { name: 'tenant API', family: 'api', method: 'POST', path: '/v1/tenants', headers: adminJson(), body: '', raw: notUtf8 },
      { name: 'DCR', family: 'oauth', method: 'POST', path: '/oauth/register', headers: { 'content-type': 'application/json' }, body: '', raw: notUtf8 },
      { name: 'MCP', family: 'mcp', method: 'POST', path: MCP, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' }, body: '', raw: notUtf8 },
    ];
    for (const c of cases) {
      const response = await fetch(t.baseUrl + c.path, { method: c.method, headers: c.headers, body: c.raw });
      const answer = { status: response.status, ...(await readBody(response)) };
      assertRefused(c, answer);
      if (c.family === 'mcp') assert.equal(answer.json.error.code, -32700);
    }
  });

  it('fails an NDJSON bulk line that holds one on its own, and lands the others', async () => {
    const lines = [
      { id: 'bulk-ok-1', title: 'One', text: 'First fine line.' },
      { id: 'bulk-bad', title: 'Bad', text: 'fine', metadata: { owner: 'x\u0000' } },
      { id: 'bulk-bad-2', title: '\uD800', text: 'fine' },
      { id: 'bulk-ok-2', title: 'Two', text: 'Second fine line.' },
    ].map((line) => JSON.stringify(line));
    const bulk = await t.api('POST', `${WS}/documents:bulk`, lines.join('\n') + '\n', undefined, 'application/x-ndjson');
    assert.equal(bulk.status, 200, bulk.text);
    expect(bulk.json.summary).toStrictEqual({ received: 4, created: 2, updated: 0, unchanged: 0, deleted: 0, failed: 2 });
    const failures = bulk.json.results.filter((r: { status: string }) => r.status === 'failed');
    expect(failures.map((f: { line: number }) => f.line)).toStrictEqual([2, 3]);
    assert.match(failures[0].error.message, /metadata\.owner contains a NUL/);
  });

  it('refuses an audit cursor that is not one, or past the largest event id, with 400', async () => {
    for (const cursor of ['99999999999999999999', '9223372036854775808', '1'.repeat(400), 'abc', '-1', '1e5']) {
      const c: Case = { name: 'audit cursor', family: 'api', method: 'GET', path: `/v1/tenants/acme/audit?cursor=${cursor}`, headers: admin() };
      assertRefused(c, await send(c));
    }
    assert.equal((await t.api('GET', '/v1/tenants/acme/audit?cursor=999999999999999999')).status, 200, 'the largest cursor a page can return');
  });

  it('answers a 500 that remains with an error id and nothing internal, on /v1 and at the authorization server', async () => {
    const db = t.platform.app.get(DataSource);
    await db.query('ALTER TABLE oidc_models RENAME TO oidc_models_away');
    await db.query('ALTER TABLE tenants RENAME TO tenants_away');
    try {
      const token = await send({ name: 'token', family: 'oauth', method: 'POST', path: '/oauth/token', headers: form, body: 'grant_type=refresh_token&refresh_token=abc&client_id=some-client' });
      assert.equal(token.status, 500, token.text);
      assert.equal(token.json.error, 'server_error');
      assert.match(token.json.error_description, /^internal error \(id [0-9a-f-]{36}\)$/);
      const api = await send({ name: 'tenant', family: 'api', method: 'GET', path: '/v1/tenants/acme', headers: admin() });
      assert.equal(api.status, 500, api.text);
      expect(Object.keys(api.json).sort()).toStrictEqual(['code', 'message']);
      assert.match(api.json.message, /^internal error \(id [0-9a-f-]{36}\)$/);
      for (const answer of [token, api]) assert.doesNotMatch(answer.text, /oidc_models|tenants|relation|at \w+ \(|\.ts:/, 'nothing internal');
    } finally {
      await db.query('ALTER TABLE oidc_models_away RENAME TO oidc_models');
      await db.query('ALTER TABLE tenants_away RENAME TO tenants');
    }
  });

  it('still serves ordinary text, and counts the audit events of the calls it serves', async () => {
    const unicode = 'Grüße 😀 中文 — ok';
    assert.equal((await t.api('PUT', `${WS}/documents/unicode`, { title: unicode, text: 'Plain text with emoji 😀.' })).status, 201);
    assert.equal((await t.api('GET', `${WS}/documents/unicode`)).json.title, unicode);
    assert.equal((await t.api('GET', `/v1/tenants/acme/audit?actor=${encodeURIComponent('ana@acme.example')}`)).status, 200);
    const metrics = t.platform.app.get(TesseraMetrics);
    const written = async () => Number(/tessera_audit_events_total\{outcome="written"\} (\d+)/.exec(await metrics.scrape())?.[1] ?? NaN);
    const before = await written();
    const response = await mcpRequest(t.baseUrl + MCP, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch', arguments: { id: 'welcome' } } }, { authorization: `Bearer ${token}` });
    assert.equal(response.json.result.isError, undefined);
    await t.platform.app.get(ToolAuditLog).flush();
    assert.equal((await fetch(`${t.baseUrl}/readyz`)).status, 200, 'readiness reads through PostgreSQL the way search and fetch do');
    assert.ok((await written()) > before, 'the tool call was audited and counted');
  });
});
