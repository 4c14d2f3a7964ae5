/**
 * Automatic rebalancing on a real OpenSearch node (threshold 20): writes that carry a workspace past
 * the limit move it to an index of its own in the background while it is written and searched; deletes
 * below half of the limit bring it back; two backends (two app replicas) deciding at once converge,
 * one moving and the other standing aside.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OpenSearchSearchBackend, prepareDocument, WorkspaceMoveInProgressError, type RebalanceOutcome } from '@tessera/search';
import { MAPPING_VERSION as V } from '../../libs/search/src/opensearch/index-definition';
import { MOVE_LOCK_INDEX } from '../../libs/search/src/opensearch/move-lock';
import { realOpenSearchUrl } from '../support/opensearch-node';

const EVERYONE = { identifiers: ['reader@example.com'], groups: ['staff'] };
const LIMIT = 20;

describe('OpenSearch automatic rebalance on a real node', () => {
  let node: string;
  const backends: OpenSearchSearchBackend[] = [];
  const workspaces: string[] = [];
  const outcomes: RebalanceOutcome[][] = [];

  const newBackend = (autoRebalance = true) => {
    const backend = new OpenSearchSearchBackend({
      node,
      replicas: 0,
      dedicatedAboveDocuments: LIMIT,
      bulkRetry: { attempts: 3, baseDelayMs: 20 },
      autoRebalance: autoRebalance ? { recountAfterMs: 60_000 } : false,
    });
    const seen: RebalanceOutcome[] = [];
    backend.watchRebalances((outcome) => seen.push(outcome));
    backends.push(backend);
    outcomes.push(seen);
    return { backend, seen };
  };
  const newWorkspace = async (backend: OpenSearchSearchBackend) => {
    const ws = randomUUID();
    workspaces.push(ws);
    await backend.createWorkspace(ws);
    return ws;
  };
  const doc = (n: number) => prepareDocument({ id: `d${n}`, title: `Report ${n}`, text: `Quarterly harbour report number ${n}.` });
  /** Like the tenant API's client: a batch refused while the workspace is fenced is sent again. */
  const write = async (backend: OpenSearchSearchBackend, ws: string, from: number, to: number) => {
    const batch = Array.from({ length: to - from }, (_, i) => doc(from + i));
    for (let attempt = 0; ; attempt++) {
      try {
        return await backend.upsert(ws, batch);
      } catch (error) {
        if (attempt > 200) throw error;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };
  const found = async (backend: OpenSearchSearchBackend, ws: string) =>
    (await backend.search(ws, { query: 'harbour report', reader: EVERYONE, limit: 100 })).map((hit) => hit.id);
  const lease = (ws: string) => fetch(`${node}/${MOVE_LOCK_INDEX}/_doc/${ws}`).then((r) => r.status);

  beforeAll(async () => {
    node = await realOpenSearchUrl();
  });
  afterAll(async () => {
    const admin = newBackend(false).backend;
    await Promise.all(workspaces.map((ws) => admin.dropWorkspace(ws)));
    await Promise.all(backends.map((backend) => backend.onApplicationShutdown()));
  });

  it('moves a workspace written past the limit to its own index while it is searched, and back after deletes', async () => {
    const { backend, seen } = newBackend();
    const ws = await newWorkspace(backend);
    const acknowledged = new Set<string>();
    let writing = true;
    const searches = (async () => {
      let count = 0;
      while (writing || count === 0) {
        const before = new Set(acknowledged);
        const ids = await found(backend, ws);
        assert.equal(new Set(ids).size, ids.length, `a search returned a document twice: ${ids.join(',')}`);
        for (const id of before) assert.ok(ids.includes(id), `a search missed ${id}, acknowledged before it started`);
        count++;
      }
      return count;
    })();
    for (let n = 0; n < 30; n += 5) {
      await write(backend, ws, n, n + 5);
      for (let i = n; i < n + 5; i++) acknowledged.add(`d${i}`);
    }
    await backend.rebalancesIdle();
    writing = false;
    assert.ok((await searches) > 0);

    expect(seen).toStrictEqual(['moved']);
    const placement = await backend.workspacePlacement(ws);
    expect(placement).toStrictEqual({ tier: 'dedicated', index: `tessera-${ws}-v${V}`, documents: 30 });
    expect((await found(backend, ws)).sort()).toStrictEqual([...acknowledged].sort());
    assert.equal(await lease(ws), 404, 'the lease is released');

    // 10 is not below half of 20: stays. 9 is: back to the shared index.
    for (let n = 0; n < 20; n++) assert.equal(await backend.delete(ws, `d${n}`), true);
    await backend.rebalancesIdle();
    assert.equal((await backend.workspacePlacement(ws))?.tier, 'dedicated');
    assert.equal(await backend.delete(ws, 'd20'), true);
    await backend.rebalancesIdle();
    expect(seen).toStrictEqual(['moved', 'moved']);
    expect(await backend.workspacePlacement(ws)).toStrictEqual({ tier: 'shared', index: `tessera.shared-v${V}`, documents: 9 });
    expect((await found(backend, ws)).sort()).toStrictEqual(['d21', 'd22', 'd23', 'd24', 'd25', 'd26', 'd27', 'd28', 'd29']);
    const own = await fetch(`${node}/tessera-${ws}-v${V}`, { method: 'HEAD' });
    assert.equal(own.status, 404, 'its own index is gone');
  });

  it('two replicas that both decide to move converge: one moves, the other stands aside', async () => {
    const loader = newBackend(false).backend;
    const ws = await newWorkspace(loader);
    await write(loader, ws, 0, 25);
    const a = newBackend();
    const b = newBackend();
    // Each replica's first write counts the workspace (25 > 20) and starts a move at the same moment.
    await Promise.all([write(a.backend, ws, 25, 26), write(b.backend, ws, 26, 27)]);
    await Promise.all([a.backend.rebalancesIdle(), b.backend.rebalancesIdle()]);

    const all = [...a.seen, ...b.seen].sort();
    assert.equal(all.filter((o) => o === 'moved').length, 1, `outcomes: ${all.join(',')}`);
    assert.ok(all.every((o) => o === 'moved' || o === 'busy' || o === 'unchanged'), `outcomes: ${all.join(',')}`);
    expect(await loader.workspacePlacement(ws)).toStrictEqual({ tier: 'dedicated', index: `tessera-${ws}-v${V}`, documents: 27 });
    const ids = await found(loader, ws);
    assert.equal(ids.length, 27);
    assert.equal(new Set(ids).size, 27);
    assert.equal(await lease(ws), 404);
  });

  it('lets exactly one of two simultaneous moves through, the other failing cleanly', async () => {
    const loader = newBackend(false).backend;
    const other = newBackend(false).backend;
    const ws = await newWorkspace(loader);
    await write(loader, ws, 0, 12);
    const results = await Promise.allSettled([loader.moveWorkspace(ws, 'dedicated'), other.moveWorkspace(ws, 'dedicated')]);
    const swapped = results.filter((r) => r.status === 'fulfilled' && r.value.swapped);
    assert.equal(swapped.length, 1, JSON.stringify(results.map((r) => r.status)));
    for (const result of results) {
      if (result.status === 'rejected') assert.ok(result.reason instanceof WorkspaceMoveInProgressError, String(result.reason));
    }
    expect(await loader.workspacePlacement(ws)).toStrictEqual({ tier: 'dedicated', index: `tessera-${ws}-v${V}`, documents: 12 });
    assert.equal(new Set(await found(loader, ws)).size, 12);
  });

  it('never fails a write because of a move: a lease held elsewhere is "busy", an expired one is taken over', async () => {
    const loader = newBackend(false).backend;
    const ws = await newWorkspace(loader);
    await write(loader, ws, 0, 21);
    const hold = (expiresAt: number) =>
      fetch(`${node}/${MOVE_LOCK_INDEX}/_doc/${ws}?refresh=true`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ expires_at: expiresAt }),
      });
    assert.ok((await hold(Date.now() + 60_000)).ok);
    const { backend, seen } = newBackend();
    expect(await backend.upsert(ws, [doc(21)])).toStrictEqual(['created']);
    await backend.rebalancesIdle();
    expect(seen).toStrictEqual(['busy']);
    assert.equal((await loader.workspacePlacement(ws))?.tier, 'shared');
    await assert.rejects(loader.moveWorkspace(ws, 'dedicated'), WorkspaceMoveInProgressError);

    // The holder died: once its lease has expired, the next mover takes it over.
    assert.ok((await hold(Date.now() - 1)).ok);
    assert.equal((await loader.rebalanceWorkspace(ws))?.swapped, true);
    expect(await loader.workspacePlacement(ws)).toStrictEqual({ tier: 'dedicated', index: `tessera-${ws}-v${V}`, documents: 22 });
    assert.equal(await lease(ws), 404);
  });
});
