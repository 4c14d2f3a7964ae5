/**
 * The OpenSearch adapter against a real OpenSearch 2.19 node: what the engine holds after each call
 * (indices, aliases, mappings, analysis), hostile query text, odd ids, lazy index creation, drops and
 * a reindex into a new mapping version. The shared contract suite is search-backend.opensearch.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAPPING_VERSION as V } from '../../libs/search/src/opensearch/index-definition';
import { OpenSearchSearchBackend, prepareDocument, type DocumentInput } from '@tessera/search';
import { realOpenSearchUrl } from '../support/opensearch-node';

describe('OpenSearch adapter on a real node', () => {
  let node: string;
  let backend: OpenSearchSearchBackend;
  const workspaces: string[] = [];
  const reader = { identifiers: ['Ana@Example.com'], groups: ['staff', 'staff'] };
  const engine = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${node}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const put = (ws: string, ...docs: DocumentInput[]) => backend.upsert(ws, docs.map((d) => prepareDocument(d)));
  const ids = async (ws: string, query: string) => (await backend.search(ws, { query, reader, limit: 10 })).map((x) => x.id);
  const newWorkspace = async () => {
    const ws = randomUUID();
    workspaces.push(ws);
    await backend.createWorkspace(ws);
    return ws;
  };

  beforeAll(async () => {
    node = await realOpenSearchUrl();
    backend = new OpenSearchSearchBackend({ node, replicas: 0 });
  });
  afterAll(async () => {
    const next = new OpenSearchSearchBackend({ node, replicas: 0, mappingVersion: V + 1 });
    await Promise.all(workspaces.map((ws) => next.dropWorkspace(ws)));
    await Promise.all([backend.onApplicationShutdown(), next.onApplicationShutdown()]);
  });

  it('puts a new workspace behind a filtered, routed alias on the shared index, with the mapping kept as code, once', async () => {
    const ws = await newWorkspace();
    await backend.createWorkspace(ws);
    const shared = `tessera.shared-v${V}`;
    expect((await engine('GET', `/_alias/tessera-${ws}`)).json).toStrictEqual({
      [shared]: { aliases: { [`tessera-${ws}`]: { filter: { term: { workspace_id: ws } }, index_routing: ws, search_routing: ws } } },
    });
    const { json: mapping } = await engine('GET', `/tessera-${ws}/_mapping`);
    const { mappings } = mapping[shared];
    assert.equal(mappings.properties.workspace_id.type, 'keyword');
    assert.equal(mappings.dynamic, 'strict');
    expect(mappings.properties.metadata).toStrictEqual({ type: 'object', dynamic: 'false' });
    assert.equal(mappings.properties.acl_users.normalizer, 'tessera_lowercase');
    const { json: settings } = await engine('GET', `/tessera-${ws}/_settings`);
    const index = settings[shared].settings.index;
    expect([index.number_of_shards, index.number_of_replicas, index.refresh_interval]).toStrictEqual(['2', '0', '1s']);
    // The analysis chain as the engine runs it: possessive, stop words before Porter, folding, CJK bigrams.
    const tokens = async (analyzer: string, text: string) =>
      (await engine('POST', `/tessera-${ws}/_analyze`, { analyzer, text })).json.tokens.map((t: { token: string }) => t.token);
    // The product's stop words (Lucene's own _english_ set would keep "were").
    expect(await tokens('tessera_text', "The runner's shoes WERE running in Zürich")).toStrictEqual(['runner', 'shoe', 'run', 'zurich']);
    expect(await tokens('tessera_text', '東京オフィス')).toStrictEqual(['東京', '京オ', 'オフ', 'フィ', 'ィス']);
    expect(mappings.properties.title.copy_to).toStrictEqual(['title_and_text']);
    expect(mappings.properties.text.copy_to).toStrictEqual(['title_and_text']);
  });

  it('treats DSL-looking query text as words; the ACL still applies', async () => {
    const ws = await newWorkspace();
    await put(ws, { id: 'open', title: 'Travel policy', text: 'Book trains.' }, { id: 'closed', title: 'Travel policy for the board', text: 'Private.', acl: { groups: ['board'] } });
    for (const hostile of ['travel"}},{"match_all":{}}]}} OR title:* \\" <script>', 'travel OR *:*', 'travel AND acl_groups:board', '/.*/ travel', 'travel~ title:(policy) ^9 ||', '(((travel']) {
      assert.deepEqual(await ids(ws, hostile), ['open'], hostile);
    }
  });

  it('treats a workspace without an index as empty, and creates index and alias on its first write', async () => {
    const ws = randomUUID();
    workspaces.push(ws);
    expect(await ids(ws, 'anything')).toStrictEqual([]);
    assert.equal(await backend.get(ws, 'x'), null);
    assert.equal(await backend.delete(ws, 'x'), false);
    expect(await backend.listQuarantined(ws, 5)).toStrictEqual([]);
    assert.equal(await backend.release(ws, 'x'), false);
    expect(await put(ws, { id: 'first', title: 'First', text: 'lazy creation' })).toStrictEqual(['created']);
    assert.deepEqual(Object.keys((await engine('GET', `/_alias/tessera-${ws}`)).json), [`tessera.shared-v${V}`], 'an alias, never a concrete index named like it');
    expect(await ids(ws, 'lazy')).toStrictEqual(['first']);
  });

  it('gets and deletes ids with URL-special characters', async () => {
    const ws = await newWorkspace();
    const odd = ['q?x=1&y', 'a/1 b', '../_search', '%2e%2e', 'ü ñ', '#frag'];
    await put(ws, ...odd.map((id) => ({ id, title: `Odd ${id}`, text: 'kept' })));
    for (const id of odd) assert.equal((await backend.get(ws, id))?.title, `Odd ${id}`, id);
    for (const id of odd) assert.equal(await backend.delete(ws, id), true, id);
    expect(await ids(ws, 'kept')).toStrictEqual([]);
  });

  it('drops every index of the workspace, including one an interrupted reindex left behind', async () => {
    const ws = await newWorkspace();
    await engine('PUT', `/tessera-${ws}-v${V + 1}`, { settings: { number_of_replicas: 0 } });
    await new OpenSearchSearchBackend({ node, replicas: 0, mappingVersion: V + 1 }).dropWorkspace(ws);
    assert.equal((await engine('GET', `/_alias/tessera-${ws}`)).status, 404);
    expect(Object.keys((await engine('GET', `/tessera-${ws}*`)).json)).toStrictEqual([]);
  });

  it('reindexes a shared workspace into the next version\'s shared index and swaps the alias; a second reindex does nothing', async () => {
    const ws = await newWorkspace();
    await put(ws, { id: 'guide', title: 'Onboarding guide', text: 'Laptops are issued on day one.' }, { id: 'faq', title: 'FAQ', text: 'Parking is free.', acl: { groups: ['staff'] } });
    const next = new OpenSearchSearchBackend({ node, replicas: 0, mappingVersion: V + 1 });
    try {
      const result = await next.reindexWorkspace(ws);
      expect(result).toStrictEqual({ alias: `tessera-${ws}`, from: `tessera.shared-v${V}`, to: `tessera.shared-v${V + 1}`, copied: 2, swapped: true });
      expect(Object.keys((await engine('GET', `/_alias/tessera-${ws}`)).json)).toStrictEqual([`tessera.shared-v${V + 1}`]);
      const left = await engine('POST', `/tessera.shared-v${V}/_count`, { query: { term: { workspace_id: ws } } });
      assert.equal(left.json.count, 0, 'its documents are gone from the old shared index');
      expect(await ids(ws, 'laptops')).toStrictEqual(['guide']);
      expect(await ids(ws, 'parking')).toStrictEqual(['faq']);
      expect(await put(ws, { id: 'late', title: 'Late', text: 'written after the swap' })).toStrictEqual(['created']);
      assert.equal((await next.reindexWorkspace(ws)).swapped, false);
    } finally {
      await next.onApplicationShutdown();
    }
  });
});
