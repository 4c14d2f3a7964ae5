/**
 * OpenSearch contract (local fake): the requests the adapter sends — index and alias names, the
 * mappings sent at creation, the search query's shape, _bulk NDJSON, and the reindex's single alias
 * swap. The fake records every request; these tests read those records.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { prepareDocument, type DocumentInput } from '@tessera/search';
import { startFakeBackend, type FakeBackend } from '../../libs/search/testing/opensearch-fake';

/** The parts of recorded request bodies these tests read. */
interface FieldMapping {
  type: string;
  analyzer: string;
  normalizer?: string;
  fields: Record<string, FieldMapping>;
}
interface CreateIndexBody {
  aliases: object;
  settings: {
    index: Record<string, unknown>;
    analysis: { analyzer: Record<string, { filter: string[] }>; filter: Record<string, Record<string, unknown>> };
  };
  mappings: { dynamic: string; properties: Record<string, FieldMapping> };
}
interface SearchBody {
  size: number;
  track_total_hits: boolean;
  sort: unknown;
  query: { bool: { must: Array<{ multi_match: { query: string; operator: string; fields: string[]; minimum_should_match?: string } }>; filter: unknown; must_not: unknown } };
}

describe('OpenSearch contract (local fake): requests the adapter sends', () => {
  let h: FakeBackend;
  before(async () => (h = await startFakeBackend()));
  after(async () => h.close());
  beforeEach(() => h.fake.resetBehaviour());

  const put = (ws: string, ...docs: DocumentInput[]) => h.backend.upsert(ws, docs.map((d) => prepareDocument(d)));
  const reader = { identifiers: ['Ana@Example.com'], groups: ['staff', 'staff'] };

  it('creates a versioned index behind the workspace alias, in one request, with the mapping kept as code', async () => {
    const ws = await h.newWorkspace();
    const creates = h.fake.requestsMatching('PUT', /^\/tessera-/);
    assert.deepEqual(creates.map((r) => r.path), [`/tessera-${ws}-v1`]);
    const body = creates[0]!.body as CreateIndexBody;
    assert.deepEqual(body.aliases, { [`tessera-${ws}`]: {} });
    assert.equal(body.settings.index.number_of_shards, 1);
    assert.equal(body.settings.index.refresh_interval, '1s');
    const { properties, dynamic } = body.mappings;
    assert.equal(dynamic, 'strict');
    assert.equal(properties.title!.type, 'text');
    assert.equal(properties.text!.analyzer, properties.title!.analyzer);
    assert.equal(properties.text!.fields.shingles!.type, 'text');
    const analysis = body.settings.analysis;
    const chain = (analyzer: string) => analysis.analyzer[analyzer]!.filter.map((f) => analysis.filter[f] ?? { type: f });
    const textChain = chain(properties.text!.analyzer);
    assert.ok(textChain.some((f) => f.type === 'stop' && f.stopwords === '_english_'), 'English stop words');
    assert.ok(textChain.some((f) => f.type === 'stemmer' && f.language === 'english'), 'Porter stemming');
    assert.ok(chain(properties.text!.fields.shingles!.analyzer).some((f) => f.type === 'shingle' && f.output_unigrams === false), 'word pairs only');
    assert.deepEqual(
      [properties.id!.type, properties.acl_users!.type, properties.acl_users!.normalizer !== undefined, properties.acl_groups!.type, properties.acl_public!.type],
      ['keyword', 'keyword', true, 'keyword', 'boolean'],
    );
    assert.deepEqual(properties.metadata, { type: 'object', dynamic: false });

    h.fake.resetBehaviour();
    await h.backend.createWorkspace(ws);
    assert.deepEqual(h.fake.requests.map((r) => `${r.method} ${r.path}`), [`GET /_alias/tessera-${ws}`], 'idempotent: nothing is created twice');
  });

  it('searches the alias with a bool query: user text only in multi_match.query, the ACL in filter', async () => {
    const ws = await h.newWorkspace();
    await put(ws, { id: 'open', title: 'Travel policy', text: 'Book trains.' }, { id: 'closed', title: 'Travel policy for the board', text: 'Private.', acl: { groups: ['board'] } });
    h.fake.resetBehaviour();
    const hostile = 'travel"}},{"match_all":{}}]}} OR title:* \\" <script>';
    const hits = await h.backend.search(ws, { query: hostile, reader, limit: 7 });
    assert.deepEqual(hits.map((x) => x.id), ['open'], 'DSL-looking text is just words; the ACL still applies');

    const [search] = h.fake.requestsMatching('POST', /_search$/);
    assert.equal(search!.path, `/tessera-${ws}/_search`);
    const body = search!.body as SearchBody;
    assert.equal(body.size, 7);
    assert.equal(body.track_total_hits, false);
    assert.deepEqual(body.sort, [{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
    const [must] = body.query.bool.must;
    assert.deepEqual(Object.keys(must!), ['multi_match']);
    assert.equal(must!.multi_match.query, hostile);
    assert.equal(must!.multi_match.operator, 'or');
    assert.equal(must!.multi_match.minimum_should_match, undefined, 'any term matches unless configured');
    assert.ok(must!.multi_match.fields.includes('text') && must!.multi_match.fields.some((f) => /^title\^/.test(f)));
    assert.equal(JSON.stringify(body).split(JSON.stringify(hostile).slice(1, -1)).length - 1, 1, 'the query text appears exactly once');
    assert.deepEqual(body.query.bool.filter, [
      { bool: { should: [{ term: { acl_public: true } }, { terms: { acl_users: ['ana@example.com'] } }, { terms: { acl_groups: ['staff'] } }], minimum_should_match: 1 } },
    ]);
    assert.deepEqual(body.query.bool.must_not, [{ term: { quarantined: true } }]);
  });

  it('sends a configured minimum_should_match', async () => {
    const ws = await h.newWorkspace();
    h.fake.resetBehaviour();
    await h.adapter({ minimumShouldMatch: '20%' }).search(ws, { query: 'one two three four five', reader, limit: 3 });
    const body = h.fake.requestsMatching('POST', /_search$/)[0]!.body as SearchBody;
    assert.equal(body.query.bool.must[0]!.multi_match.minimum_should_match, '20%');
  });

  it('checks content hashes with _mget, then writes only changed documents with one _bulk (NDJSON) that waits for refresh', async () => {
    const ws = await h.newWorkspace();
    h.fake.resetBehaviour();
    const outcomes = await put(ws, { id: 'a/1 b', title: 'First', text: 'one' }, { id: 'b', title: 'Old', text: 'two' }, { id: 'b', title: 'New', text: 'three' });
    assert.deepEqual(outcomes, ['created', 'created', 'created']);
    assert.deepEqual(h.fake.requests.map((r) => `${r.method} ${r.path}`), [`POST /tessera-${ws}/_mget`, `PUT /tessera-${ws}/_bulk`]);
    const [mget, bulk] = h.fake.requests;
    assert.deepEqual(mget!.body, { ids: ['a/1 b', 'b'] });
    assert.equal(mget!.query._source, 'content_hash');
    assert.deepEqual(bulk!.query, { refresh: 'wait_for', require_alias: 'true' });
    const lines = bulk!.ndjson as Array<Record<string, unknown>>;
    assert.deepEqual(lines.filter((_, i) => i % 2 === 0), [{ index: { _id: 'a/1 b' } }, { index: { _id: 'b' } }], 'the last occurrence of a repeated id only');
    assert.deepEqual(Object.keys(lines[3]!).sort(), ['acl_groups', 'acl_public', 'acl_users', 'content_hash', 'flags', 'id', 'metadata', 'quarantined', 'text', 'title', 'updated_at', 'url']);
    assert.equal(lines[3]!.title, 'New');

    h.fake.resetBehaviour();
    assert.deepEqual(await put(ws, { id: 'b', title: 'New', text: 'three' }), ['unchanged']);
    assert.equal(h.fake.requestsMatching('PUT', /_bulk$/).length, 0, 'an unchanged document is not written');
  });

  it('gets and deletes by id through the alias, encoding the id, and deletes wait for refresh', async () => {
    const ws = await h.newWorkspace();
    await put(ws, { id: 'q?x=1&y', title: 'Odd id', text: 'kept' });
    h.fake.resetBehaviour();
    assert.equal((await h.backend.get(ws, 'q?x=1&y'))?.title, 'Odd id');
    assert.equal(await h.backend.delete(ws, 'q?x=1&y'), true);
    assert.deepEqual(h.fake.requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`), [
      `GET /tessera-${ws}/_doc/q?x=1&y {}`,
      `DELETE /tessera-${ws}/_doc/q?x=1&y {"refresh":"wait_for"}`,
    ]);
  });

  it('drops every index of the workspace by name, never by wildcard', async () => {
    const ws = await h.newWorkspace();
    h.fake.resetBehaviour();
    await h.backend.dropWorkspace(ws);
    const [drop] = h.fake.requestsMatching('DELETE', /^\/tessera-/);
    assert.equal(drop!.path, `/tessera-${ws}-v1`);
    assert.equal(drop!.query.ignore_unavailable, 'true');
    assert.equal(h.fake.cluster.aliases.has(`tessera-${ws}`), false);
  });
});
