/**
 * Two tenants with the same workspace slug and the same document ids: tokens, searches, fetches,
 * metadata and admin calls never cross from one to the other.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

interface Tenant {
  readonly slug: string;
  apiKey: string;
  connector: string;
  token: string;
  tokenId: string;
}

const TENANTS = ['acme', 'globex'] as const;
const UNIQUE_WORD = { acme: 'zebra', globex: 'walrus' } as const;

type ToolResult = { isError?: boolean; content: Array<{ text: string }>; structuredContent?: unknown };

describe('tenant and workspace isolation end to end (postgres)', () => {
  let t: TestPlatform;
  const tenants = {} as Record<(typeof TENANTS)[number], Tenant>;
  let financeToken: string;

  async function tool(connector: string, token: string, name: string, args: Record<string, unknown>) {
    const response = await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }, { authorization: `Bearer ${token}` });
    return { status: response.status, headers: response.headers, result: response.json?.result as ToolResult | undefined };
  }

  async function searchIds(connector: string, token: string, query: string): Promise<Array<{ id: string; title: string; url: string | null }>> {
    const response = await tool(connector, token, 'search', { query });
    assert.equal(response.status, 200);
    assert.notEqual(response.result?.isError, true, response.result?.content[0]?.text);
    return JSON.parse(response.result!.content[0]!.text).results;
  }

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    for (const slug of TENANTS) {
      const created = await t.api('POST', '/v1/tenants', { slug, name: slug.toUpperCase() });
      assert.equal(created.status, 201, created.text);
      const apiKey = created.json.apiKey as string;
      const ws = await t.api('POST', `/v1/tenants/${slug}/workspaces`, { slug: 'handbook', name: 'Handbook' }, apiKey);
      assert.equal(ws.status, 201, ws.text);
      const lines = [
        { id: 'policy', title: `${slug} laptop policy`, text: `At ${slug} every laptop is issued by the ${slug} IT desk.`, url: `https://${slug}.example/policy`, metadata: { tenant: slug } },
        { id: 'secret', title: `${slug} secret`, text: `The ${slug} secret code word is ${UNIQUE_WORD[slug]}.`, acl: { users: ['ana@example.com'] } },
        { id: `${slug}-only`, title: `${slug} only`, text: `Only ${slug} has the ${UNIQUE_WORD[slug]} handbook.` },
      ];
      const bulk = await t.api('POST', `/v1/tenants/${slug}/workspaces/handbook/documents:bulk`, lines.map((l) => JSON.stringify(l)).join('\n'), apiKey, 'application/x-ndjson');
      assert.equal(bulk.json.summary.created, 3, bulk.text);
      const token = await t.api('POST', `/v1/tenants/${slug}/workspaces/handbook/access-tokens`, { subject: 'ana@example.com' }, apiKey);
      tenants[slug] = { slug, apiKey, connector: ws.json.connectorUrl, token: token.json.token, tokenId: token.json.id };
    }
    await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'finance', name: 'Finance' });
    await t.api('PUT', '/v1/tenants/acme/workspaces/finance/documents/policy', { title: 'Finance policy', text: 'Finance laptops are leased.' });
    financeToken = (await t.api('POST', '/v1/tenants/acme/workspaces/finance/access-tokens', { subject: 'ana@example.com' })).json.token;
  });
  afterAll(async () => t?.close());

  it('gives each tenant its own connector URL for the same workspace slug', () => {
    assert.equal(tenants.acme.connector, `${t.baseUrl}/mcp/acme/handbook`);
    assert.equal(tenants.globex.connector, `${t.baseUrl}/mcp/globex/handbook`);
  });

  it("refuses one tenant's token at the other's connector, and another workspace's token of the same tenant", async () => {
    for (const [connector, token] of [
      [tenants.acme.connector, tenants.globex.token],
      [tenants.globex.connector, tenants.acme.token],
      [tenants.acme.connector, financeToken],
      [tenants.globex.connector, financeToken],
    ] as const) {
      for (const [name, args] of [['search', { query: 'laptop' }], ['fetch', { id: 'policy' }]] as const) {
        const response = await tool(connector, token, name, args);
        assert.equal(response.status, 401, `${connector} ${name}`);
        assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
        assert.equal(response.result, undefined);
      }
    }
  });

  it('does not accept tenant API keys or the admin token at a connector', async () => {
    for (const token of [tenants.acme.apiKey, tenants.globex.apiKey, t.adminToken]) {
      const response = await tool(tenants.acme.connector, token, 'search', { query: 'laptop' });
      assert.equal(response.status, 401);
    }
  });

  it("searches see only the tenant's own documents, even for the other tenant's unique words", async () => {
    for (const slug of TENANTS) {
      const other = slug === 'acme' ? 'globex' : 'acme';
      const { connector, token } = tenants[slug];
      const mine = await searchIds(connector, token, 'laptop policy IT desk');
      assert.equal(mine[0]?.id, 'policy');
      for (const result of mine) assert.doesNotMatch(`${result.title} ${result.url}`, new RegExp(other), JSON.stringify(result));
      expect(await searchIds(connector, token, `${UNIQUE_WORD[other]} handbook code word`).then((r) => r.filter((x) => x.title.includes(other)))).toStrictEqual([]);
      const theirs = await searchIds(connector, token, UNIQUE_WORD[other]);
      assert.deepEqual(theirs, [], `${slug} found ${other}'s "${UNIQUE_WORD[other]}"`);
      const own = await searchIds(connector, token, UNIQUE_WORD[slug]);
      expect(own.map((r) => r.id).sort()).toStrictEqual([`${slug}-only`, 'secret']);
    }
  });

  it("fetches of the same id return each tenant's own document, and the other tenant's ids do not exist", async () => {
    for (const slug of TENANTS) {
      const other = slug === 'acme' ? 'globex' : 'acme';
      const { connector, token } = tenants[slug];
      const policy = await tool(connector, token, 'fetch', { id: 'policy' });
      expect(JSON.parse(policy.result!.content[0]!.text)).toStrictEqual({
        id: 'policy',
        title: `${slug} laptop policy`,
        text: `At ${slug} every laptop is issued by the ${slug} IT desk.`,
        url: `https://${slug}.example/policy`,
        metadata: { tenant: slug },
      });
      const secret = JSON.parse((await tool(connector, token, 'fetch', { id: 'secret' })).result!.content[0]!.text);
      assert.match(secret.text, new RegExp(UNIQUE_WORD[slug]));
      const foreign = await tool(connector, token, 'fetch', { id: `${other}-only` });
      assert.equal(foreign.result?.isError, true);
      assert.doesNotMatch(foreign.result!.content[0]!.text, new RegExp(UNIQUE_WORD[other]));
    }
  });

  it('serves Protected Resource Metadata per tenant with its own connector URL as resource', async () => {
    for (const slug of TENANTS) {
      const unauthenticated = await mcpRequest(tenants[slug].connector, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
      const metadataUrl = /resource_metadata="([^"]+)"/.exec(unauthenticated.headers.get('www-authenticate') ?? '')?.[1];
      assert.equal(metadataUrl, `${t.baseUrl}/.well-known/oauth-protected-resource/mcp/${slug}/handbook`);
      const metadata = (await (await fetch(metadataUrl!)).json()) as { resource: string; authorization_servers: string[] };
      assert.equal(metadata.resource, tenants[slug].connector);
      expect(metadata.authorization_servers).toStrictEqual([t.baseUrl]);
      assert.doesNotMatch(JSON.stringify(metadata), new RegExp(slug === 'acme' ? 'globex' : 'acme', 'i'));
    }
  });

  it('does not route a path that walks from one tenant into another', async () => {
    const url = new URL(t.baseUrl);
    for (const path of ['/mcp/globex/../acme/handbook', '/mcp/globex/handbook/../../acme/handbook', '/mcp/globex/handbook%2F..%2F..%2Facme%2Fhandbook', '/mcp/acme%2Fhandbook/x']) {
      const status = await new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch', arguments: { id: 'secret' } } });
        const req = httpRequest(
          { host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${tenants.acme.token}`, 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => {
              assert.doesNotMatch(text, /zebra|walrus/, `${path} leaked a document`);
              resolve(res.statusCode ?? 0);
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(status, 404, path);
    }
  });

  it("keeps each tenant's API to itself for same-named workspaces and documents", async () => {
    const path = '/v1/tenants/globex/workspaces/handbook/documents/policy';
    assert.equal((await t.api('GET', path, undefined, tenants.acme.apiKey)).status, 404);
    assert.equal((await t.api('PUT', path, { title: 'Hijacked', text: 'by acme' }, tenants.acme.apiKey)).status, 404);
    assert.equal((await t.api('DELETE', path, undefined, tenants.acme.apiKey)).status, 404);
    assert.equal((await t.api('GET', path, undefined, tenants.globex.apiKey)).json.title, 'globex laptop policy');
  });

  it("changes to one tenant's document, token or workspace leave the other's same-named ones alone", async () => {
    const acmePolicy = '/v1/tenants/acme/workspaces/handbook/documents/policy';
    assert.equal((await t.api('PUT', acmePolicy, { title: 'acme laptop policy v2', text: 'Acme laptops are now rented.' }, tenants.acme.apiKey)).status, 200);
    assert.equal(JSON.parse((await tool(tenants.globex.connector, tenants.globex.token, 'fetch', { id: 'policy' })).result!.content[0]!.text).title, 'globex laptop policy');
    assert.equal((await t.api('DELETE', acmePolicy, undefined, tenants.acme.apiKey)).status, 204);
    assert.equal((await tool(tenants.globex.connector, tenants.globex.token, 'fetch', { id: 'policy' })).result?.isError, undefined);
    assert.equal((await tool(tenants.acme.connector, tenants.acme.token, 'fetch', { id: 'policy' })).result?.isError, true);

    assert.equal((await t.api('DELETE', `/v1/tenants/acme/workspaces/handbook/access-tokens/${tenants.acme.tokenId}`, undefined, tenants.acme.apiKey)).status, 204);
    assert.equal((await t.api('DELETE', `/v1/tenants/globex/workspaces/handbook/access-tokens/${tenants.acme.tokenId}`, undefined, tenants.globex.apiKey)).status, 404);
    assert.equal((await tool(tenants.acme.connector, tenants.acme.token, 'search', { query: 'laptop' })).status, 401);
    assert.equal((await tool(tenants.globex.connector, tenants.globex.token, 'search', { query: 'laptop' })).status, 200);

    assert.equal((await t.api('DELETE', '/v1/tenants/acme/workspaces/handbook', undefined, tenants.acme.apiKey)).status, 204);
    expect((await searchIds(tenants.globex.connector, tenants.globex.token, 'walrus')).map((r) => r.id).sort()).toStrictEqual(['globex-only', 'secret']);
    assert.equal((await t.api('GET', '/v1/tenants/globex/workspaces/handbook/documents/secret', undefined, tenants.globex.apiKey)).status, 200);
    assert.equal((await fetch(`${t.baseUrl}/.well-known/oauth-protected-resource/mcp/globex/handbook`)).status, 200);
    assert.equal((await fetch(`${t.baseUrl}/.well-known/oauth-protected-resource/mcp/acme/handbook`)).status, 404);
  });
});
