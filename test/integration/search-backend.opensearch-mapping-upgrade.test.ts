/**
 * The in-place mapping upgrade (mapping-upgrade.ts) on a real OpenSearch 2.19 node: a workspace index
 * built with the real v2 mapping (no `title.lowercase`) is brought to v3 with `PUT _mapping` and
 * `_update_by_query`, after which the document list's title filter finds its documents by title.
 * Also: two upgraders at once, writes while it runs, a second run, the startup hook, bad input.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAPPING_VERSION as V } from '../../libs/search/src/opensearch/index-definition';
import { upgradeSearchIndices } from '../../libs/search/src/cli/upgrade-search-indices';
import { MappingUpgradeOnStart } from '../../libs/search/src/opensearch/mapping-upgrade-on-start';
import { OpenSearchSearchBackend, prepareDocument, type DocumentInput } from '@tessera/search';
import { OpenSearchFaultProxy } from '../../libs/search/testing/opensearch-fault-proxy';
import { realOpenSearchUrl } from '../support/opensearch-node';

describe('mapping upgrade in place on a real node', () => {
  let node: string;
  let v2: OpenSearchSearchBackend;
  let v3: OpenSearchSearchBackend;
  const workspaces: string[] = [];
  const engine = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${node}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const doc = (id: string, title: string): DocumentInput & { title: string } => ({ id, title, text: `body of ${id}` });
  const titleFilter = async (ws: string, filter: string) => (await v3.listDocuments(ws, { filter, limit: 10_000 })).map((d) => d.id).sort();
  /** A workspace in an index of its own built with the v2 mapping, holding `count` documents titled "Quarterly Report <n>". */
  const v2Workspace = async (count: number) => {
    const ws = randomUUID();
    workspaces.push(ws);
    await v2.createWorkspace(ws);
    await v2.moveWorkspace(ws, 'dedicated');
    for (let start = 0; start < count; start += 500) {
      const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => doc(`d${String(start + i).padStart(5, '0')}`, `Quarterly Report ${start + i}`));
      await v2.upsert(ws, batch.map((d) => prepareDocument(d)));
    }
    return { ws, index: `tessera-${ws}-v2` };
  };
  const mappingOf = async (index: string) => (await engine('GET', `/${index}/_mapping`)).json[index].mappings;

  beforeAll(async () => {
    node = await realOpenSearchUrl();
    // Only this file makes v2 indices; a shared one a previous run upgraded would make the shared-index test vacuous.
    await engine('DELETE', '/tessera.shared-v2');
    v2 = new OpenSearchSearchBackend({ node, replicas: 0, mappingVersion: 2, autoRebalance: false });
    v3 = new OpenSearchSearchBackend({ node, replicas: 0, autoRebalance: false, upgradePollMs: 200 });
  });
  afterAll(async () => {
    const next = new OpenSearchSearchBackend({ node, replicas: 0, mappingVersion: V + 1, autoRebalance: false });
    await Promise.all(workspaces.map((ws) => next.dropWorkspace(ws)));
    await engine('DELETE', '/tessera.shared-v1,tessera.shared-v2?ignore_unavailable=true'); // only this file creates them
    await Promise.all([v2.onApplicationShutdown(), v3.onApplicationShutdown(), next.onApplicationShutdown()]);
  });

  // First: the later tests upgrade every v2 index on the node, this shared one included.
  it('upgrades the shared v2 index in place: each workspace finds its own documents by title, and only its own', async () => {
    const shared = 'tessera.shared-v2';
    const [a, b] = [randomUUID(), randomUUID()];
    workspaces.push(a, b);
    for (const [ws, word] of [[a, 'Alpha'], [b, 'Beta']] as const) {
      await v2.createWorkspace(ws);
      await v2.upsert(ws, Array.from({ length: 30 }, (_, n) => prepareDocument(doc(`d${n}`, `${word} Memo ${n}`))));
    }
    assert.equal((await mappingOf(shared)).properties.title.fields, undefined, 'a fresh v2 shared index');
    expect(await titleFilter(a, 'memo')).toStrictEqual([]);
    const report = await v3.upgradeIndexMapping(shared);
    expect(report).toStrictEqual({ index: shared, from: 2, to: 3, outcome: 'upgraded', updated: 60, conflicts: 0 });
    assert.equal((await titleFilter(a, 'ALPHA memo')).length, 30);
    assert.deepEqual(await titleFilter(a, 'beta'), [], "a neighbour's titles stay out of the workspace's list");
    const beta2 = Array.from({ length: 30 }, (_, n) => n).filter((n) => `beta memo ${n}`.includes('beta memo 2')).map((n) => `d${n}`).sort();
    expect(await titleFilter(b, 'beta memo 2')).toStrictEqual(beta2); // d2, d20…d29
    // Re-indexed where they were: each workspace's routed alias still counts all of its documents.
    expect([(await v3.workspacePlacement(a))?.documents, (await v3.workspacePlacement(b))?.documents]).toStrictEqual([30, 30]);
  });

  it('upgrades a v2 index so the title filter finds its documents by title; its mapping then equals a new v3 index; a second run does nothing', async () => {
    assert.equal(V, 3, 'this test covers the v2 → v3 step');
    const { ws, index } = await v2Workspace(40);
    assert.equal((await mappingOf(index)).properties.title.fields, undefined, 'built with the real v2 mapping');
    // A substring of the title, in another case; the reference is computed here, independently of the engine.
    const expected = Array.from({ length: 40 }, (_, n) => n)
      .filter((n) => `Quarterly Report ${n}`.toLowerCase().includes('report 1'))
      .map((n) => `d${String(n).padStart(5, '0')}`);
    assert.deepEqual(await titleFilter(ws, 'REPORT 1'), [], 'a v2 index answers the title filter by id only');

    const report = await v3.upgradeIndexMapping(index);
    expect(report).toStrictEqual({ index, from: 2, to: 3, outcome: 'upgraded', updated: 40, conflicts: 0 });
    expect(await titleFilter(ws, 'REPORT 1')).toStrictEqual(expected);
    assert.equal(expected.length, 11);

    const fresh = randomUUID();
    workspaces.push(fresh);
    await v3.createWorkspace(fresh);
    await v3.moveWorkspace(fresh, 'dedicated');
    const upgraded = await mappingOf(index);
    assert.deepEqual(upgraded, await mappingOf(`tessera-${fresh}-v3`), 'the upgraded mapping is the v3 definition, _meta included');
    expect(upgraded._meta).toStrictEqual({ mapping_version: 3 });
    // Search and fetch still work on the upgraded index.
    expect((await v3.search(ws, { query: 'quarterly report', limit: 3, reader: { identifiers: ['ana@example.com'], groups: [] } })).length).toStrictEqual(3);
    assert.equal((await v3.get(ws, 'd00007'))?.title, 'Quarterly Report 7');

    const seqNos = await engine('GET', `/${index}/_search?seq_no_primary_term=true&size=100`);
    const again = await v3.upgradeIndexMapping(index);
    expect(again).toStrictEqual({ index, from: 3, to: 3, outcome: 'current', updated: 0, conflicts: 0 });
    const seqNosAfter = await engine('GET', `/${index}/_search?seq_no_primary_term=true&size=100`);
    assert.deepEqual(seqNosAfter.json.hits.hits.map((h: { _seq_no: number }) => h._seq_no).sort(), seqNos.json.hits.hits.map((h: { _seq_no: number }) => h._seq_no).sort(), 'no document was written again');
    const all = await v3.upgradeIndexMappings();
    assert.equal(all.find((r) => r.index === index)?.outcome, 'current');
  });

  it('lets exactly one of two upgraders starting together do the work; the other reports busy or current', async () => {
    const { ws, index } = await v2Workspace(300);
    const other = new OpenSearchSearchBackend({ node, replicas: 0, autoRebalance: false, upgradePollMs: 200 });
    try {
      const reports = await Promise.all([v3.upgradeIndexMapping(index), other.upgradeIndexMapping(index)]);
      const outcomes = reports.map((r) => r.outcome).sort();
      assert.equal(outcomes.filter((o) => o === 'upgraded').length, 1, `outcomes: ${outcomes.join(', ')}`);
      assert.ok(outcomes.every((o) => o === 'upgraded' || o === 'busy' || o === 'current'));
      assert.equal(reports.find((r) => r.outcome === 'upgraded')?.updated, 300);
    } finally {
      await other.onApplicationShutdown();
    }
    assert.equal((await titleFilter(ws, 'quarterly report')).length, 300);
    expect((await mappingOf(index))._meta).toStrictEqual({ mapping_version: 3 });
    const lease = await engine('GET', `/tessera.moves/_doc/mapping:${index}`);
    assert.equal(lease.json.found, false, 'the lease is released');
  });

  it('keeps every write made while the upgrade runs, each found by its latest title', async () => {
    const { ws, index } = await v2Workspace(3_000);
    const titles = new Map(Array.from({ length: 3_000 }, (_, n) => [`d${String(n).padStart(5, '0')}`, `Quarterly Report ${n}`]));
    let upgradeDone = false;
    let writesDuringUpgrade = 0;
    const upgrade = v3.upgradeIndexMapping(index).finally(() => (upgradeDone = true));
    // Until the upgrade answers: rewrite existing documents with new titles (update_by_query meets
    // them as version conflicts) and add new ones.
    for (let round = 0; !upgradeDone || round === 0; round++) {
      const batch = [
        ...Array.from({ length: 20 }, (_, i) => doc(`d${String(round * 20 + i).padStart(5, '0')}`, `Rewritten Memo ${round}-${i}`)),
        ...Array.from({ length: 5 }, (_, i) => doc(`n${round}-${i}`, `Added Memo ${round}-${i}`)),
      ];
      await v2.upsert(ws, batch.map((d) => prepareDocument(d)));
      for (const d of batch) titles.set(d.id, d.title);
      if (!upgradeDone) writesDuringUpgrade++;
    }
    const report = await upgrade;
    assert.equal(report.outcome, 'upgraded');
    assert.ok(writesDuringUpgrade >= 1, 'at least one batch was written while the upgrade ran');
    const expected = [...titles].filter(([, title]) => title.toLowerCase().includes('memo')).map(([id]) => id).sort();
    assert.deepEqual(await titleFilter(ws, 'memo'), expected, 'every rewritten and added document is found by its new title');
    const stillQuarterly = [...titles].filter(([, title]) => title.startsWith('Quarterly')).map(([id]) => id).sort();
    assert.deepEqual(await titleFilter(ws, 'quarterly'), stillQuarterly, 'and no document is found by its old title');
    assert.equal((await v3.workspacePlacement(ws))?.documents, titles.size, 'every acknowledged write is there once');
    const missing = await engine('POST', `/${index}/_count`, { query: { bool: { must_not: { exists: { field: 'title.lowercase' } } } } });
    assert.equal(missing.json.count, 0, 'no document lacks the new field');
  });

  it('runs at startup in the background, logging counts only, and leaves newer indices and non-Tessera names alone', async () => {
    const { ws, index } = await v2Workspace(12);
    const onStart = new MappingUpgradeOnStart({ node, replicas: 0, upgradePollMs: 200 });
    onStart.onApplicationBootstrap();
    const reports = await onStart.finished();
    await onStart.onApplicationShutdown();
    expect(reports.find((r) => r.index === index)).toStrictEqual({ index, from: 2, to: 3, outcome: 'upgraded', updated: 12, conflicts: 0 });
    assert.ok(reports.every((r) => r.outcome !== 'upgraded' || r.from < r.to));
    assert.equal((await titleFilter(ws, 'quarterly report 1')).length, 3); // 1, 10, 11

    await assert.rejects(v3.upgradeIndexMapping('tessera.moves'), /not a Tessera index/);
    await assert.rejects(v3.upgradeIndexMapping(`tessera-${ws}`), /not a Tessera index/, 'an alias is refused: only concrete indices are upgraded');
    await assert.rejects(v3.upgradeIndexMapping('tessera-*'), /not a Tessera index/);
  });

  it('npm run search:upgrade upgrades in place, and rebuilds with --reindex the workspaces a non-additive change needs', async () => {
    const env = { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: node, OPENSEARCH_REPLICAS: '0' };
    const { ws, index } = await v2Workspace(5);
    // An index of a version the in-place upgrade cannot reach (no additive step from v1).
    const old = new OpenSearchSearchBackend({ node, replicas: 0, mappingVersion: 1, autoRebalance: false });
    const oldWs = randomUUID();
    workspaces.push(oldWs);
    try {
      await old.createWorkspace(oldWs);
      await old.moveWorkspace(oldWs, 'dedicated');
      await old.upsert(oldWs, [prepareDocument(doc('a', 'Annual Plan'))]);
    } finally {
      await old.onApplicationShutdown();
    }
    const lines: string[] = [];
    assert.equal(await upgradeSearchIndices([], env, (line) => lines.push(line)), 1, 'an index still needs a reindex');
    assert.ok(lines.includes(`${index}: mapping v2 → v3 in place, 5 documents re-indexed, 0 skipped as written meanwhile`), lines.join('\n'));
    assert.ok(lines.includes(`tessera-${oldWs}-v1: 1 workspaces need a reindex; run again with --reindex`), lines.join('\n'));
    assert.equal((await titleFilter(ws, 'quarterly')).length, 5);
    expect(await titleFilter(oldWs, 'annual')).toStrictEqual([]);

    lines.length = 0;
    assert.equal(await upgradeSearchIndices(['--reindex'], env, (line) => lines.push(line)), 0, lines.join('\n'));
    assert.ok(lines.includes(`workspace ${oldWs}: tessera-${oldWs}-v1 → tessera-${oldWs}-v3, 1 documents copied`), lines.join('\n'));
    expect(await titleFilter(oldWs, 'annual')).toStrictEqual(['a']);
    // The v1 shared index the workspace started in is left to the operator, not counted as work.
    assert.ok(lines.includes('tessera.shared-v1: no workspace uses it any more; delete it by name when you no longer need it'), lines.join('\n'));
    assert.ok(!lines.some((line) => line.endsWith('nothing to do')), 'indices already current are not listed');
    assert.ok(lines.every((line) => !line.includes('Quarterly') && !line.includes('Annual')), 'no document content is printed');

    assert.equal(await upgradeSearchIndices(['--force'], env, (line) => lines.push(line)), 2);
    assert.match(lines.at(-1)!, /unknown argument --force; usage: npm run search:upgrade/);
    assert.equal(await upgradeSearchIndices([], { SEARCH_BACKEND: 'postgres' }, (line) => lines.push(line)), 0);
    await assert.rejects(upgradeSearchIndices([], { SEARCH_BACKEND: 'opensearch' }, () => undefined), /OPENSEARCH_URL/);
  });

  // In this file rather than a *.fault-injection one: the runs above upgrade every v2 index on the node,
  // so a v2 index of a test file running beside this one would be upgraded under that file's feet.
  it('an upgrade cut off by a failure (a 503 the fault proxy injects in front of the real node) records nothing and is finished by the next run', async () => {
    const { ws, index } = await v2Workspace(8);
    const proxy = await OpenSearchFaultProxy.start(node);
    const cut = new OpenSearchSearchBackend({ node: proxy.url, replicas: 0, autoRebalance: false, upgradePollMs: 200 });
    try {
      // The second pass fails: the mapping has the field and the documents have it, but the version is not recorded.
      let passes = 0;
      proxy.intercept((r) => (r.method === 'POST' && r.path === `/${index}/_update_by_query` && ++passes === 2 ? { status: 503, body: { error: { type: 'unavailable_shards_exception' } } } : undefined));
      await assert.rejects(cut.upgradeIndexMapping(index), /answered 503 unavailable_shards_exception/);
      assert.equal((await mappingOf(index))._meta, undefined, 'the version is recorded only once both passes are done');
      assert.equal((await engine('GET', `/tessera.moves/_doc/mapping:${index}`)).json.found, false, 'the lease is released');
      const reports = await cut.upgradeIndexMappings();
      assert.deepEqual(reports.find((r) => r.index === index), { index, from: 2, to: 3, outcome: 'upgraded', updated: 0, conflicts: 0 }, 'the rerun finds nothing left to re-index');
      assert.equal((await titleFilter(ws, 'quarterly')).length, 8);

      // A failing index is reported and the run goes on.
      const { index: other } = await v2Workspace(3);
      proxy.intercept((r) => (r.method === 'POST' && r.path === `/${other}/_mapping` ? { status: 503, body: { error: { type: 'cluster_block_exception' } } } : undefined));
      const next = await cut.upgradeIndexMappings();
      expect(next.find((r) => r.index === other)).toStrictEqual({ index: other, from: 2, to: 3, outcome: 'failed', updated: 0, conflicts: 0, reason: 'the search backend is temporarily unavailable (mapping upgrade: answered 503 cluster_block_exception); retry later' });
    } finally {
      await cut.onApplicationShutdown();
      await proxy.close();
    }
  });
});
