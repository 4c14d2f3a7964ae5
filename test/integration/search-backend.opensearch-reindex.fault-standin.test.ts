/**
 * Fault stand-in (local fake of the OpenSearch API): holding `_reindex` mid-copy, failing it, and
 * dropping the alias swap are faults a real node cannot produce on demand. The normal reindex runs on
 * a real node in search-backend.opensearch-engine.test.ts and opensearch-backend.e2e.ts.
 * Reindexing a workspace into a new mapping version — build the new index, block writes to the old one, _reindex, swap the alias in ONE _aliases call, delete the old
 * index — while search keeps answering, and a clean rollback when the copy fails.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ErrorCode } from '@tessera/domain';
import { prepareDocument, type DocumentInput, type SearchBackend } from '@tessera/search';
import { startFakeBackend, type FakeBackend } from '../../libs/search/testing/opensearch-fake';

describe('OpenSearch reindex faults (stand-in: local fake)', () => {
  let h: FakeBackend;
  before(async () => (h = await startFakeBackend({ mappingVersion: 1 })));
  after(async () => h.close());
  beforeEach(() => h.fake.resetBehaviour());

  const reader = { identifiers: ['someone@example.com'], groups: [] };
  const put = (backend: SearchBackend, ws: string, ...docs: DocumentInput[]) => backend.upsert(ws, docs.map((d) => prepareDocument(d)));
  const ids = async (ws: string, query: string) => (await h.backend.search(ws, { query, reader, limit: 10 })).map((x) => x.id);

  it('copies into the new version and swaps the alias atomically, while search keeps working', async () => {
    const ws = await h.newWorkspace();
    await put(h.backend, ws, { id: 'guide', title: 'Onboarding guide', text: 'Laptops are issued on day one.' }, { id: 'faq', title: 'FAQ', text: 'Parking is free.' });
    h.fake.resetBehaviour();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    h.fake.intercept((r) => (r.path === '/_reindex' ? { hold: released } : undefined), 1);

    const next = h.adapter({ mappingVersion: 2 });
    const reindexing = next.reindexWorkspace(ws);
    await waitFor(() => h.fake.requestsMatching('POST', /^\/_reindex$/).length === 1);

    // Mid-copy: readers are served from the old index; a write is refused per document, retryably.
    assert.deepEqual(await ids(ws, 'laptops'), ['guide']);
    await assert.rejects(put(h.backend, ws, { id: 'late', title: 'Late', text: 'written during the copy' }), (error: { code: string; message: string }) => {
      assert.equal(error.code, ErrorCode.Unavailable);
      assert.match(error.message, /refuses writes/);
      return true;
    });
    release();
    const result = await reindexing;
    assert.deepEqual(result, { alias: `tessera-${ws}`, from: `tessera-${ws}-v1`, to: `tessera-${ws}-v2`, copied: 2, swapped: true });

    const steps = h.fake.requests.filter((r) => r.path.startsWith(`/tessera-${ws}-v`) || r.path === '/_reindex' || r.path === '/_aliases');
    assert.deepEqual(steps.map((r) => `${r.method} ${r.path}`), [
      `DELETE /tessera-${ws}-v2`,
      `PUT /tessera-${ws}-v2`,
      `PUT /tessera-${ws}-v1/_settings`,
      'POST /_reindex',
      'POST /_aliases',
      `DELETE /tessera-${ws}-v1`,
    ]);
    assert.equal((steps[1]!.body as { aliases?: unknown }).aliases, undefined, 'the new index joins the alias only at the swap');
    assert.deepEqual(steps[2]!.body, { index: { blocks: { write: true } } });
    assert.deepEqual(steps[3]!.body, { source: { index: `tessera-${ws}-v1` }, dest: { index: `tessera-${ws}-v2` } });
    assert.deepEqual(h.fake.requestsMatching('POST', /^\/_aliases$/).map((r) => r.body), [
      { actions: [{ remove: { index: `tessera-${ws}-v1`, alias: `tessera-${ws}` } }, { add: { index: `tessera-${ws}-v2`, alias: `tessera-${ws}` } }] },
    ]);

    assert.deepEqual([...h.fake.cluster.aliases.get(`tessera-${ws}`)!], [`tessera-${ws}-v2`]);
    assert.deepEqual(await ids(ws, 'laptops'), ['guide']);
    assert.deepEqual(await put(h.backend, ws, { id: 'late', title: 'Late', text: 'written after the swap' }), ['created']);
    assert.equal((await next.reindexWorkspace(ws)).swapped, false, 'already on the current version: nothing to do');
  });

  it('rolls back when the copy fails: the old index serves and accepts writes, the new one is gone', async () => {
    const ws = await h.newWorkspace();
    await put(h.backend, ws, { id: 'doc', title: 'Budget', text: 'Quarterly budget.' });
    h.fake.intercept((r) => (r.path === '/_reindex' ? { status: 500, body: { error: { type: 'exception', reason: 'boom' }, status: 500 } } : undefined), 1);
    await assert.rejects(h.adapter({ mappingVersion: 2 }).reindexWorkspace(ws), { code: ErrorCode.Unavailable });
    assert.deepEqual([...h.fake.cluster.aliases.get(`tessera-${ws}`)!], [`tessera-${ws}-v1`]);
    assert.equal(h.fake.cluster.indices.has(`tessera-${ws}-v2`), false);
    assert.deepEqual(h.fake.requestsMatching('PUT', /_settings$/).map((r) => r.body), [
      { index: { blocks: { write: true } } },
      { index: { blocks: { write: false } } },
    ]);
    assert.deepEqual(await put(h.backend, ws, { id: 'doc', title: 'Budget', text: 'Yearly budget.' }), ['updated']);
    assert.deepEqual(await ids(ws, 'yearly'), ['doc']);
  });

  it('drops the indices of every version, including one an interrupted reindex left behind', async () => {
    const ws = await h.newWorkspace();
    const next = h.adapter({ mappingVersion: 2 });
    h.fake.intercept((r) => (r.path === '/_aliases' ? 'drop' : undefined), 1);
    await assert.rejects(next.reindexWorkspace(ws));
    h.fake.cluster.createIndex(`tessera-${ws}-v2`, {}); // as if the rollback itself had failed
    await next.dropWorkspace(ws);
    assert.deepEqual([...h.fake.cluster.indices.keys()].filter((name) => name.includes(ws)), []);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'condition not reached');
}
