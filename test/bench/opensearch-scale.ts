/**
 * Thousands of workspaces on one OpenSearch node (npm run bench:opensearch-scale): the tiered layout
 * (small workspaces share one index, large ones get their own) against one index per workspace, in
 * the same run, on the same node.
 *
 *   npm run bench:opensearch-scale -- [--url URL] [--workspaces 2000] [--large 4] [--small-docs 20] [--large-docs 10000]
 *
 * --url defaults to $OPENSEARCH_URL, else a node started from the Maven jars in a scratch directory.
 * For each layout: create every workspace (timed), load small and large workspaces, then measure the
 * node (shards, heap, cluster-state size) and search latency in a small and a large workspace while
 * other workspaces are written and searched. Everything it creates is deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { execSync } from 'node:child_process';
import { OpenSearchSearchBackend, prepareDocument } from '@tessera/search';
import { indexDefinition, MAPPING_VERSION } from '../../libs/search/src/opensearch/index-definition';
import { workspaceAlias, workspaceIndex } from '../../libs/search/src/opensearch/index-names';
import { openSearchNode } from '../support/opensearch-node';
import { percentile } from './relevance/queries';

type Layout = 'tiered' | 'index-per-workspace';
const WORDS = 'harbour ledger invoice turbine glacier orchard violin lantern quarry meadow copper saddle beacon ferry canyon'.split(' ');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

function documentsFor(count: number, salt: number) {
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 40 }, (_, j) => WORDS[(i * 7 + j * 3 + salt) % WORDS.length]).join(' ');
    return prepareDocument({ id: `doc-${i}`, title: `${WORDS[i % WORDS.length]} ${WORDS[(i + salt) % WORDS.length]} ${i}`, text: words });
  });
}

async function json(url: string, path: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (await fetch(url + path)).json();
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function measureLayout(url: string, layout: Layout, sizes: { workspaces: number; large: number; smallDocs: number; largeDocs: number }) {
  const backend = new OpenSearchSearchBackend({ node: url, replicas: 0, requestTimeoutMs: 60_000, dedicatedAboveDocuments: Math.max(sizes.smallDocs * 10, 1_000), autoRebalance: false });
  const workspaces = Array.from({ length: sizes.workspaces }, () => randomUUID());
  const large = workspaces.slice(0, sizes.large);
  const reader = { identifiers: ['bench@example.com'], groups: [] };
  // What was on the node before (other tests' indices), left out of the counts.
  const baseline = { shards: Number((await json(url, '/_cluster/health')).active_shards), indices: ((await json(url, '/_cat/indices?format=json')) as unknown[]).length };
  try {
    // 1. Create every workspace, one at a time (as the tenant API does), timed.
    const createMs: number[] = [];
    const created = performance.now();
    for (const ws of workspaces) {
      const start = performance.now();
      if (layout === 'tiered') await backend.createWorkspace(ws);
      else await createOwnIndex(url, ws);
      createMs.push(performance.now() - start);
    }
    const createSeconds = (performance.now() - created) / 1000;
    console.error(`[scale] ${layout}: ${workspaces.length} workspaces created in ${createSeconds.toFixed(1)} s`);

    // 2. Load: small workspaces a few documents each, large ones many (then rebalanced to their own index).
    const loadStart = performance.now();
    await inParallel(workspaces.slice(sizes.large), 16, async (ws) => void (await backend.upsert(ws, documentsFor(sizes.smallDocs, ws.charCodeAt(0)))));
    for (const ws of large) {
      const docs = documentsFor(sizes.largeDocs, 3);
      for (let i = 0; i < docs.length; i += 500) await backend.upsert(ws, docs.slice(i, i + 500));
      if (layout === 'tiered') await backend.rebalanceWorkspace(ws);
    }
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const totalDocs = (workspaces.length - sizes.large) * sizes.smallDocs + sizes.large * sizes.largeDocs;
    console.error(`[scale] ${layout}: ${totalDocs} documents loaded in ${loadSeconds.toFixed(1)} s`);

    // 3. The node.
    await fetch(`${url}/_refresh`, { method: 'POST' });
    const health = await json(url, '/_cluster/health');
    const stateBytes = (await (await fetch(`${url}/_cluster/state/metadata,routing_table`)).arrayBuffer()).byteLength;
    const nodes = await json(url, '/_nodes/stats/jvm,indices');
    const stats = Object.values(nodes.nodes as Record<string, any>)[0]; // eslint-disable-line @typescript-eslint/no-explicit-any

    // 4. Search latency in one small and one large workspace while others are written and searched.
    let stop = false;
    const background = (async () => {
      for (let i = 0; !stop; i++) {
        const ws = workspaces[sizes.large + (i % (workspaces.length - sizes.large))]!;
        await Promise.all([
          backend.upsert(ws, documentsFor(5, i)),
          backend.search(workspaces[sizes.large + ((i * 31) % (workspaces.length - sizes.large))]!, { query: 'copper lantern', reader, limit: 10 }),
        ]);
      }
    })();
    const latency = async (ws: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 300; i++) {
        const start = performance.now();
        await backend.search(ws, { query: `${WORDS[i % WORDS.length]} ${WORDS[(i * 5) % WORDS.length]} meadow`, reader, limit: 10 });
        ms.push(performance.now() - start);
      }
      return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
    };
    const small = await latency(workspaces[workspaces.length - 1]!);
    const big = await latency(large[0]!);
    stop = true;
    await background;
    const row = {
      layout,
      workspaces: workspaces.length,
      documents: totalDocs,
      indices: ((await json(url, '/_cat/indices?format=json')) as unknown[]).length - baseline.indices,
      shards: Number(health.active_shards) - baseline.shards,
      heapUsedMb: Math.round(Number(stats.jvm.mem.heap_used_in_bytes) / 2 ** 20),
      heapMaxMb: Math.round(Number(stats.jvm.mem.heap_max_in_bytes) / 2 ** 20),
      segmentsMemoryMb: Math.round(Number(stats.indices.segments.memory_in_bytes ?? 0) / 2 ** 20),
      clusterStateKb: Math.round(stateBytes / 1024),
      createSeconds,
      createP50Ms: percentile(createMs, 50),
      createP99Ms: percentile(createMs, 99),
      loadSeconds,
      searchSmall: small,
      searchLarge: big,
    };
    // Printed before the (long) cleanup, so that an interrupted run still reports what it measured.
    console.error(`[scale] ${JSON.stringify(row)}`);
    return row;
  } finally {
    const cleanup = new OpenSearchSearchBackend({ node: url, replicas: 0, requestTimeoutMs: 120_000 });
    await inParallel(workspaces, 4, (ws) => cleanup.dropWorkspace(ws));
    await Promise.all([backend.onApplicationShutdown(), cleanup.onApplicationShutdown()]);
  }
}

/** The layout without tiers: an index per workspace, behind the same filtered, routed alias. */
async function createOwnIndex(url: string, ws: string): Promise<void> {
  const body = { ...indexDefinition({ replicas: 0 }), aliases: { [workspaceAlias(ws)]: { filter: { term: { workspace_id: ws } }, routing: ws } } };
  const response = await fetch(`${url}/${workspaceIndex(ws, MAPPING_VERSION)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`create index: HTTP ${response.status} ${await response.text()}`);
}

async function main(): Promise<void> {
  const sizes = { workspaces: option('workspaces', 2000), large: option('large', 4), smallDocs: option('small-docs', 20), largeDocs: option('large-docs', 10_000) };
  const node = await openSearchNode(process.argv.includes('--url') ? process.argv[process.argv.indexOf('--url') + 1] : process.env.OPENSEARCH_URL);
  const url = node.url;
  try {
    const version = node.version;
    const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const rows = [];
    for (const layout of ['tiered', 'index-per-workspace'] as const) rows.push(await measureLayout(url, layout, sizes));
    console.log(`OpenSearch ${version}, one node, commit ${commit}: ${sizes.workspaces} workspaces (${sizes.large} large × ${sizes.largeDocs} documents, the rest ${sizes.smallDocs} each)`);
    console.log(JSON.stringify(rows, null, 2));
  } finally {
    await node.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
