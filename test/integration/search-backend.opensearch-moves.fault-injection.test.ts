/**
 * Moving a workspace between the shared index and one of its own (and reindexing it into a new
 * mapping version) on a real node, with the faults a real node cannot produce on demand injected by a
 * proxy: `_reindex` held mid-copy, `_reindex` failing, the alias swap's connection cut.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@tessera/domain';
import { prepareDocument, type DocumentInput, type SearchBackend } from '@tessera/search';
import { MAPPING_VERSION as V } from '../../libs/search/src/opensearch/index-definition';
import { startFaultBackend, type FaultBackend } from '../../libs/search/testing/opensearch-fault-harness';
import { realOpenSearchUrl } from '../support/opensearch-node';

describe('OpenSearch workspace moves, with faults injected in front of a real node', () => {
  let h: FaultBackend;
  let node: string;
  beforeAll(async () => {
    node = await realOpenSearchUrl();
    h = await startFaultBackend(node);
  });
  afterAll(async () => h.close());
  beforeEach(() => h.proxy.resetBehaviour());

  const reader = { identifiers: ['someone@example.com'], groups: [] };
  const put = (backend: SearchBackend, ws: string, ...docs: DocumentInput[]) => backend.upsert(ws, docs.map((d) => prepareDocument(d)));
  const ids = async (ws: string, query: string) => (await h.backend.search(ws, { query, reader, limit: 10 })).map((x) => x.id);
  const aliasTargets = async (ws: string) => {
    const response = await fetch(`${node}/_alias/tessera-${ws}`);
    return response.status === 404 ? [] : Object.keys((await response.json()) as object);
  };
  const exists = async (index: string) => (await fetch(`${node}/${index}`, { method: 'HEAD' })).status === 200;
  const steps = (ws: string) =>
    h.proxy.requests
      .filter((r) => (r.method !== 'GET' || r.path.endsWith('/_refresh')) && !/\/_(mget|bulk|search)$/.test(r.path))
      .filter((r) => r.path.startsWith('/tessera') || r.path === '/_reindex' || r.path === '/_aliases')
      .map((r) => `${r.path.endsWith('/_refresh') ? 'REFRESH' : r.method} ${r.path.replace(ws, 'W')}`);

  it('moves to its own index while search keeps answering; writes meanwhile are refused retryably, then land', async () => {
    const ws = await h.newWorkspace();
    await put(h.backend, ws, { id: 'guide', title: 'Onboarding guide', text: 'Laptops are issued on day one.' }, { id: 'faq', title: 'FAQ', text: 'Parking is free.' });
    h.proxy.resetBehaviour();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    h.proxy.intercept((r) => (r.path === '/_reindex' ? { hold: released } : undefined), 1);
    const moving = h.backend.moveWorkspace(ws, 'dedicated');
    await waitFor(() => h.proxy.requestsMatching('POST', /^\/_reindex$/).length === 1);

    // Mid-copy: readers are served from the shared index; this workspace's writes are refused, retryably.
    expect(await ids(ws, 'laptops')).toStrictEqual(['guide']);
    await assert.rejects(put(h.backend, ws, { id: 'late', title: 'Late', text: 'written during the copy' }), (error: { code: string; message: string }) => {
      assert.equal(error.code, ErrorCode.Unavailable);
      assert.match(error.message, /being moved/);
      return true;
    });
    release();
    const result = await moving;
    expect(result).toStrictEqual({ alias: `tessera-${ws}`, from: `tessera.shared-v${V}`, to: `tessera-${ws}-v${V}`, copied: 2, swapped: true });
    // The lease (one mover per workspace across replicas) is taken before anything else and released last.
    expect(steps(ws).filter((step) => step !== 'HEAD /tessera.moves')).toStrictEqual([
      'PUT /tessera.moves/_doc/W',
      `DELETE /tessera-W-v${V}`,
      `PUT /tessera-W-v${V}`,
      'POST /_aliases',
      `REFRESH /tessera.shared-v${V}/_refresh`,
      'POST /_reindex',
      'POST /_aliases',
      `POST /tessera.shared-v${V}/_delete_by_query`,
      'DELETE /tessera.moves/_doc/W',
    ]);
    const [fence, , swap] = h.proxy.requestsMatching('POST', /^\/_(aliases|reindex)$/).map((r) => r.body as { actions?: object[] });
    expect(fence!.actions).toStrictEqual([{ add: { index: `tessera.shared-v${V}`, alias: `tessera-${ws}`, filter: { term: { workspace_id: ws } }, routing: ws, is_write_index: false } }]);
    expect(swap!.actions).toStrictEqual([
      { remove: { index: `tessera.shared-v${V}`, alias: `tessera-${ws}` } },
      { add: { index: `tessera-${ws}-v${V}`, alias: `tessera-${ws}`, filter: { term: { workspace_id: ws } }, routing: ws } },
    ]);
    expect(await aliasTargets(ws)).toStrictEqual([`tessera-${ws}-v${V}`]);
    expect(await ids(ws, 'laptops')).toStrictEqual(['guide']);
    expect(await put(h.backend, ws, { id: 'late', title: 'Late', text: 'written after the swap' })).toStrictEqual(['created']);
    expect(await ids(ws, 'written')).toStrictEqual(['late']);
    assert.equal((await h.backend.moveWorkspace(ws, 'dedicated')).swapped, false, 'already there: nothing to do');
  });

  it('rolls back when the copy fails: the shared index serves and accepts writes, the new index is gone', async () => {
    const ws = await h.newWorkspace();
    await put(h.backend, ws, { id: 'doc', title: 'Budget', text: 'Quarterly budget.' });
    h.proxy.intercept((r) => (r.path === '/_reindex' ? { status: 500, body: { error: { type: 'exception', reason: 'boom' }, status: 500 } } : undefined), 1);
    await assert.rejects(h.backend.moveWorkspace(ws, 'dedicated'), { code: ErrorCode.Unavailable });
    expect(await aliasTargets(ws)).toStrictEqual([`tessera.shared-v${V}`]);
    assert.equal(await exists(`tessera-${ws}-v${V}`), false);
    expect(await put(h.backend, ws, { id: 'doc', title: 'Budget', text: 'Yearly budget.' })).toStrictEqual(['updated']);
    expect(await ids(ws, 'yearly')).toStrictEqual(['doc']);
  });

  it('finishes a move whose alias swap was cut off when it is run again, and drops cleanly after one', async () => {
    const ws = await h.newWorkspace();
    await put(h.backend, ws, { id: 'doc', title: 'Minutes', text: 'Board minutes.' });
    let aliasCalls = 0;
    h.proxy.intercept((r) => (r.path === '/_aliases' && ++aliasCalls === 2 ? 'drop' : undefined));
    await assert.rejects(h.backend.moveWorkspace(ws, 'dedicated'));
    assert.deepEqual(await ids(ws, 'minutes'), ['doc'], 'still served from the shared index');
    h.proxy.resetBehaviour();
    const retried = await h.backend.moveWorkspace(ws, 'dedicated');
    assert.equal(retried.swapped, true);
    expect(await ids(ws, 'minutes')).toStrictEqual(['doc']);
    expect(await put(h.backend, ws, { id: 'more', title: 'More minutes', text: 'Board minutes again.' })).toStrictEqual(['created']);

    await h.adapter({ mappingVersion: V + 1 }).dropWorkspace(ws);
    expect(await aliasTargets(ws)).toStrictEqual([]);
    assert.equal(await exists(`tessera-${ws}-v${V}`), false);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), 'condition not reached');
}
