/**
 * The whole platform with SEARCH_BACKEND=opensearch, against a local fake of the OpenSearch API (no
 * OpenSearch can run on this machine): ingestion and MCP search/fetch go through the adapter; when the
 * engine goes away, tools say "temporarily unavailable", readiness reports it and ingestion answers 503.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenSearch } from '../../libs/search/testing/opensearch-fake';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

const W = '/v1/tenants/acme/workspaces/kb';

describe('platform on the OpenSearch backend (contract test against a local OpenSearch fake)', () => {
  let fake: FakeOpenSearch;
  let t: TestPlatform;
  let connector: string;
  let token: string;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }, { authorization: `Bearer ${token}` })).json.result;

  before(async () => {
    fake = await FakeOpenSearch.start();
    t = await startTestPlatform('postgres', { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: fake.url, OPENSEARCH_REQUEST_TIMEOUT_MS: '1000' });
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).json.connectorUrl;
    token = (await t.api('POST', `${W}/access-tokens`, { subject: 'ana@acme.example' })).json.token;
  });
  after(async () => {
    await t?.close();
    await fake?.close().catch(() => undefined);
  });

  it('creates the workspace index behind its alias', () => {
    assert.ok(fake.requests.some((r) => r.method === 'PUT' && /^\/tessera-[0-9a-f-]+-v1$/.test(r.path)), 'index created');
  });

  it('ingests through _bulk and serves search and fetch through the adapter, with ACLs', async () => {
    const lines = [
      { id: 'laptops', title: 'Laptop policy', text: 'Request a laptop through the IT portal.' },
      { id: 'board', title: 'Board minutes', text: 'The laptop budget was approved.', acl: { groups: ['board'] } },
    ].map((d) => JSON.stringify(d)).join('\n');
    const bulk = await t.api('POST', `${W}/documents:bulk`, lines, undefined, 'application/x-ndjson');
    assert.equal(bulk.status, 200, bulk.text);
    assert.equal(bulk.json.summary.created, 2);
    assert.ok(fake.requests.some((r) => r.path.endsWith('/_bulk')), 'written with the bulk API');
    const results = JSON.parse((await call('search', { query: 'laptop portal' })).content[0].text).results.map((r: { id: string }) => r.id);
    assert.deepEqual(results, ['laptops']);
    const doc = JSON.parse((await call('fetch', { id: 'laptops' })).content[0].text);
    assert.equal(doc.text, 'Request a laptop through the IT portal.');
    assert.equal((await call('fetch', { id: 'board' })).isError, true);
    assert.equal((await t.api('GET', '/readyz')).status, 200);
  });

  it('degrades clearly when OpenSearch is gone: tool error, not ready, 503 on ingestion', async () => {
    await fake.close();
    const search = await call('search', { query: 'laptop' });
    assert.equal(search.isError, true);
    assert.match(search.content[0].text, /temporarily unavailable/);
    assert.equal((await t.api('GET', '/readyz')).status, 503);
    const bulk = await t.api('POST', `${W}/documents:bulk`, JSON.stringify({ id: 'late', title: 'Late', text: 'late' }), undefined, 'application/x-ndjson');
    assert.equal(bulk.status, 503);
    assert.equal(bulk.json.results[0].error.code, 'unavailable');
    assert.equal((await t.api('PUT', `${W}/documents/late`, { title: 'Late', text: 'late' })).status, 503);
  });
});
