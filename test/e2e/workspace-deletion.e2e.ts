/**
 * Deleting a workspace through the tenant API: its documents, tokens and connector are gone at once, and a
 * new workspace of the same slug starts empty, unreachable with the old one's tokens.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertError } from '../support/api-errors';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

describe('tenant API: deleting a workspace (postgres)', () => {
  let t: TestPlatform;

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
  });
  afterAll(async () => t?.close());

  it('removes its documents and tokens: the API and the connector answer 404, and a new workspace of that slug starts empty', async () => {
    const ws = '/v1/tenants/acme/workspaces/temp';
    const created = await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'temp', name: 'Temp' });
    assert.equal(created.status, 201);
    const connector = created.json.connectorUrl as string;
    assert.equal((await t.api('PUT', `${ws}/documents/secret`, { title: 'Secret plan', text: 'The secret plan is to rebrand.' })).status, 201);
    const token = (await t.api('POST', `${ws}/access-tokens`, { subject: 'ana@acme.example' })).json.token as string;
    const auth = { authorization: `Bearer ${token}` };
    assert.equal((await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'ping' }, auth)).status, 200);

    assert.equal((await t.api('DELETE', ws)).status, 204);
    assertError(await t.api('GET', ws), 404, 'not_found');
    assertError(await t.api('GET', `${ws}/documents/secret`), 404, 'not_found');
    assertError(await t.api('DELETE', ws), 404, 'not_found');
    const gone = await mcpRequest(connector, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'fetch', arguments: { id: 'secret' } } }, auth);
    assert.equal(gone.status, 404);
    assert.equal((await fetch(`${t.baseUrl}/.well-known/oauth-protected-resource/mcp/acme/temp`)).status, 404);

    assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'temp', name: 'Temp again' })).status, 201);
    // The gateway remembers "no such workspace" for up to 2 s; wait that out rather than depend on it.
    const ping = { jsonrpc: '2.0', id: 0, method: 'ping' };
    for (let i = 0; i < 40 && (await mcpRequest(connector, ping, auth)).status === 404; i++) await new Promise((r) => setTimeout(r, 100));
    assertError(await t.api('GET', `${ws}/documents/secret`), 404, 'not_found');
    expect((await t.api('GET', `${ws}/access-tokens`)).json.accessTokens).toStrictEqual([]);
    const reused = await mcpRequest(connector, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'search', arguments: { query: 'secret plan rebrand' } } }, auth);
    assert.equal(reused.status, 401, 'the old token must not work for the new workspace of the same slug');
    const fresh = (await t.api('POST', `${ws}/access-tokens`, { subject: 'ana@acme.example' })).json.token as string;
    const search = await mcpRequest(connector, { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'search', arguments: { query: 'secret plan rebrand' } } }, { authorization: `Bearer ${fresh}` });
    assert.equal(search.status, 200);
    expect(JSON.parse(search.json.result.content[0].text)).toStrictEqual({ results: [] });
  });
});
