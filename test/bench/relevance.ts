/**
 * The product's relevance benchmark on CISI (npm run bench:relevance).
 *
 * Boots the whole platform in this process (real PostgreSQL by default, the embedded PGlite with
 * --embedded), ingests the collection through the real bulk API, asks every judged query through the
 * MCP `search` tool with the MCP SDK's client, and compares with a textbook Okapi BM25 computed in the
 * same run over the same stored text with the product's analyzer.
 *
 *   npm run bench:relevance -- [--embedded] [--backend postgres|opensearch] [--opensearch-url URL]
 *                              [--postgres-url URL] [--cisi DIR] [--explain]
 *
 *   --postgres-url  the server to create a scratch database on (dropped afterwards);
 *                   default $TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres
 *   --cisi          the collection directory; default ../shared/data/cisi beside the repository
 *   --explain       also print EXPLAIN ANALYZE of the postings read for the longest query
 *   --backend       the search backend (default postgres); opensearch ranks in OpenSearch, with the
 *                   platform's state still in PostgreSQL (or PGlite)
 *   --opensearch-url  the node for --backend opensearch; default $OPENSEARCH_URL, else a local node
 *                   started from the Maven jars (scripts/opensearch.js) in a scratch directory
 *
 * Where each figure comes from: the MCP tool returns the workspace's searchResultLimit results (10 by
 * default, at most 50), so nDCG@10, empty result lists and latency are measured through MCP, while
 * MAP@100 and Recall@100 come from PostgresSearchBackend.search(limit 100) called in process on the
 * same database. The bench checks that the MCP top 10 equals the backend's top 10 for every query,
 * so both describe one ranking.
 *
 * Exits non-zero when Tessera's nDCG@10 is below the reference's, a judged query gets an empty list,
 * the two paths disagree, an ACL check fails, or ingestion loses a document.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { DataSource } from 'typeorm';
import { principalIdentifiers } from '@tessera/domain';
import { readInWorkspace } from '@tessera/persistence';
import { analyze, analyzeQuery, BM25F, SEARCH_BACKEND, type ReaderFilter, type SearchBackend } from '@tessera/search';
import { SEARCH_FIELDS } from '../../libs/search/src/opensearch/search-query';
import { openSearchNode } from '../support/opensearch-node';
import { MAX_QUERY_CHARS } from '../../apps/mcp-gateway/src/tools/workspace-tools.service';
import { POSTING_RECORD_BYTES } from '../../libs/search/src/postgres/postings';
import { loadCisi } from './relevance/cisi';
import { evaluateRun, type RunScores } from './relevance/evaluate';
import { Bm25fIndex } from './relevance/bm25f';
import { OkapiBm25Index, TEXTBOOK_BM25 } from './relevance/okapi-bm25';
import { startPlatformUnderTest, type BenchDatabase, type PlatformUnderTest } from './relevance/platform-under-test';
import { benchQueries, percentile, type BenchQuery } from './relevance/queries';

const REPOSITORY_ROOT = resolve(__dirname, '../..');
const DEFAULT_CISI_DIRECTORY = resolve(REPOSITORY_ROOT, '../shared/data/cisi');
const DEFAULT_POSTGRES_SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every tenth document is readable only by a group, to check that the ACL filter never reorders results. */
const RESTRICTED_GROUP = 'cisi-restricted';
const isRestricted = (cisiId: string): boolean => Number(cisiId) % 10 === 0;
const READER_SUBJECT = 'bench-reader@tessera.example';
const OUTSIDER_SUBJECT = 'bench-outsider@tessera.example';
const DEEP_LIMIT = 100;

interface Options {
  database: BenchDatabase;
  searchBackend: 'postgres' | 'opensearch';
  openSearchUrl?: string;
  cisiDirectory: string;
  explain: boolean;
}

interface Latency {
  p50Ms: number;
  p95Ms: number;
}

interface ResultRow {
  label: string;
  /** Where the ranking and the timing come from. */
  path: string;
  scores: Partial<RunScores>;
  latency: Latency;
}

function parseArguments(argv: readonly string[]): Options {
  let embedded = false;
  let serverUrl = DEFAULT_POSTGRES_SERVER;
  let cisiDirectory = DEFAULT_CISI_DIRECTORY;
  let explain = false;
  let searchBackend: Options['searchBackend'] = 'postgres';
  let openSearchUrl = process.env.OPENSEARCH_URL;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${argument} needs a value`);
      return next;
    };
    if (argument === '--embedded') embedded = true;
    else if (argument === '--postgres-url') serverUrl = value();
    else if (argument === '--cisi') cisiDirectory = resolve(value());
    else if (argument === '--explain') explain = true;
    else if (argument === '--opensearch-url') openSearchUrl = value();
    else if (argument === '--backend') {
      const backend = value();
      if (backend !== 'postgres' && backend !== 'opensearch') throw new Error('--backend must be postgres or opensearch');
      searchBackend = backend;
    } else throw new Error(`unknown argument "${argument}" (--embedded, --backend NAME, --opensearch-url URL, --postgres-url URL, --cisi DIR, --explain)`);
  }
  if (explain && searchBackend === 'opensearch') throw new Error('--explain reads PostgreSQL postings; it does not apply to --backend opensearch');
  return { database: embedded ? { kind: 'pglite' } : { kind: 'postgres', serverUrl }, searchBackend, openSearchUrl, cisiDirectory, explain };
}

const stripPrefix = (ids: readonly string[]): string[] => ids.map((id) => id.replace(/^cisi-/, ''));
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

async function connectMcp(connectorUrl: string, token: string): Promise<Client> {
  const client = new Client({ name: 'tessera-relevance-bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(connectorUrl), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

/** Ids from the MCP search tool, or the tool's error text. */
async function mcpSearch(client: Client, query: string): Promise<{ ids: string[]; error?: string }> {
  const result = await client.callTool({ name: 'search', arguments: { query } });
  const text = (result.content as Array<{ type: string; text?: string }>)[0]?.text ?? '';
  if (result.isError) return { ids: [], error: text };
  return { ids: (JSON.parse(text) as { results: Array<{ id: string }> }).results.map((r) => r.id) };
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

const latencyOf = (ms: readonly number[]): Latency => ({ p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) });

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const runStart = performance.now();
  const { docs, queries: judgedQueries, qrels } = loadCisi(options.cisiDirectory);
  const queries = benchQueries(judgedQueries, MAX_QUERY_CHARS);
  const onOpenSearch = options.searchBackend === 'opensearch';
  const backendName = onOpenSearch ? 'opensearch' : options.database.kind;
  const failures: string[] = [];

  const node = onOpenSearch ? await openSearchNode(options.openSearchUrl) : undefined;
  const searchEnv: Record<string, string> = node
    ? { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: node.url, OPENSEARCH_REPLICAS: '0', OPENSEARCH_REQUEST_TIMEOUT_MS: '30000' }
    : {};
  const boot = await timed(() => startPlatformUnderTest(options.database, searchEnv));
  const put: PlatformUnderTest = boot.value;
  let workspaceToDrop: string | undefined;
  try {
    const dataSource = put.platform.app.get(DataSource);
    const [{ version }] = (await dataSource.query('SELECT version()')) as Array<{ version: string }>;
    const engine = node ? `OpenSearch ${node.version} at ${node.url}, state in ` : '';
    console.log(`Tessera on ${backendName} (${engine}${version.split(',')[0]}; ${put.location}), started in ${(boot.ms / 1000).toFixed(1)} s`);

    // --- Onboard and ingest through the tenant API, as a tenant admin would. ---
    const expectStatus = (response: { status: number; text: string }, status: number, what: string) => {
      if (response.status !== status) throw new Error(`${what}: HTTP ${response.status} ${response.text.slice(0, 300)}`);
    };
    expectStatus(await put.api('POST', '/v1/tenants', { slug: 'bench', name: 'Relevance bench' }), 201, 'create tenant');
    const workspace = await put.api('POST', '/v1/tenants/bench/workspaces', { slug: 'cisi', name: 'CISI' });
    expectStatus(workspace, 201, 'create workspace');
    const { id: workspaceId, connectorUrl } = workspace.json as { id: string; connectorUrl: string };
    workspaceToDrop = workspaceId;

    const ndjson = docs
      .map((doc) =>
        JSON.stringify({
          id: `cisi-${doc.id}`,
          title: doc.title,
          text: doc.text,
          ...(isRestricted(doc.id) ? { acl: { groups: [RESTRICTED_GROUP] } } : {}),
        }),
      )
      .join('\n');
    const ingest = await timed(() => put.api('POST', '/v1/tenants/bench/workspaces/cisi/documents:bulk', `${ndjson}\n`, 'application/x-ndjson'));
    expectStatus(ingest.value, 200, 'bulk ingest');
    const summary = ingest.value.json.summary as Record<string, number>;
    if (summary.created !== docs.length || summary.failed !== 0) failures.push(`ingest: ${JSON.stringify(summary)}`);
    const restrictedCount = docs.filter((doc) => isRestricted(doc.id)).length;
    console.log(
      `CISI: ${docs.length} documents ingested through documents:bulk in ${(ingest.ms / 1000).toFixed(1)} s ` +
        `(${restrictedCount} readable only by group ${RESTRICTED_GROUP}); ${queries.length} judged queries, ` +
        `${queries.filter((q) => q.shortened).length} cut at a word boundary to the ${MAX_QUERY_CHARS}-character MCP query limit (both systems get the same text)`,
    );

    const issue = async (subject: string, groups: string[]): Promise<string> => {
      const response = await put.api('POST', '/v1/tenants/bench/workspaces/cisi/access-tokens', { subject, groups });
      expectStatus(response, 201, 'issue access token');
      return response.json.token as string;
    };
    const readerToken = await issue(READER_SUBJECT, [RESTRICTED_GROUP]);
    const outsiderToken = await issue(OUTSIDER_SUBJECT, []);

    // --- Tessera through MCP: what ChatGPT sees. ---
    const reader = await connectMcp(connectorUrl, readerToken);
    await mcpSearch(reader, 'information retrieval'); // warm-up, not counted
    const mcpLists = new Map<string, string[]>();
    const mcpMs: number[] = [];
    for (const query of queries) {
      const { value, ms } = await timed(() => mcpSearch(reader, query.text));
      if (value.error) failures.push(`query ${query.id}: MCP search error: ${value.error}`);
      mcpLists.set(query.id, value.ids);
      mcpMs.push(ms);
    }
    await reader.close();

    // --- Tessera's backend in process, same database and reader, 100 deep. ---
    const backend = put.platform.app.get<SearchBackend>(SEARCH_BACKEND);
    const readerFilter: ReaderFilter = { identifiers: principalIdentifiers(READER_SUBJECT), groups: [RESTRICTED_GROUP] };
    const backendLists = new Map<string, string[]>();
    const backendMs: number[] = [];
    for (const query of queries) {
      const { value, ms } = await timed(() => backend.search(workspaceId, { query: query.text, reader: readerFilter, limit: DEEP_LIMIT }));
      backendLists.set(query.id, value.map((hit) => hit.id));
      backendMs.push(ms);
    }
    // The MCP list is the workspace's searchResultLimit long (10 by default): it must be the backend's prefix.
    const samePrefix = (mcp: readonly string[], deep: readonly string[]) =>
      sameList(mcp, deep.slice(0, mcp.length)) && (mcp.length >= 10 || mcp.length === deep.length);
    const pathMismatches = queries.filter((q) => !samePrefix(mcpLists.get(q.id)!, backendLists.get(q.id)!));
    for (const q of pathMismatches) failures.push(`query ${q.id}: MCP top 10 differs from the backend's top 10`);

    // --- The reference, over the text the product stored, with the product's analyzer. ---
    // Workspace data is under row-level security: read it inside the workspace's scope, as the product does.
    // On OpenSearch the documents live in the engine: the reference reads them back by id, as fetch does.
    const stored = onOpenSearch
      ? await storedInBackend(backend, workspaceId, docs.map((doc) => `cisi-${doc.id}`))
      : await readInWorkspace(dataSource, workspaceId, (db) =>
          db.query<{ id: string; title: string; text: string }>(
            `SELECT external_id AS id, title, text FROM documents WHERE workspace_id = $1 ORDER BY pk`,
            [workspaceId],
          ),
        );
    if (stored.length !== docs.length) failures.push(`${docs.length - stored.length} documents not stored`);
    const reference = OkapiBm25Index.build(
      stored.map((doc) => ({ id: doc.id, text: `${doc.title}\n${doc.text}` })),
      analyze,
      TEXTBOOK_BM25,
    );
    // --- ACL: a reader without the group is ranked over what it may read, as BM25F over those documents ranks. ---
    const aclStart = performance.now();
    const visible = stored.filter((doc) => !isRestricted(doc.id.replace(/^cisi-/, '')));
    const aclFailures = await checkAcl(backend, workspaceId, connectorUrl, outsiderToken, queries, visible);
    const aclMs = performance.now() - aclStart;
    failures.push(...aclFailures);

    const referenceLists = new Map<string, string[]>();
    const referenceMs: number[] = [];
    for (const query of queries) {
      const { value, ms } = await timed(() => reference.search(query.text, DEEP_LIMIT));
      referenceLists.set(query.id, value);
      referenceMs.push(ms);
    }

    // --- Scores. ---
    const scoreLists = (lists: Map<string, string[]>) => evaluateRun(queries, qrels, (q) => stripPrefix(lists.get(q.id)!));
    const mcpScores = await scoreLists(mcpLists);
    const backendScores = await scoreLists(backendLists);
    const referenceScores = await scoreLists(referenceLists);
    const backendClass = onOpenSearch ? 'OpenSearchSearchBackend' : 'PostgresSearchBackend';
    const tessera = {
      ndcgAt10: mcpScores.ndcgAt10,
      mapAt100: backendScores.mapAt100,
      recallAt100: backendScores.recallAt100,
      emptyResultLists: mcpScores.emptyResultLists,
      queryCount: mcpScores.queryCount,
      latency: latencyOf(mcpMs),
      sources: {
        ndcgAt10: 'MCP search tool (limit 10)',
        mapAt100: `${backendClass}.search (limit 100), in process`,
        recallAt100: `${backendClass}.search (limit 100), in process`,
        emptyResultLists: 'MCP search tool',
        latency: 'MCP search tool over HTTP, SDK client, sequential, after one warm-up call',
      },
    };
    const rows: ResultRow[] = [
      {
        label: onOpenSearch
          ? `Tessera on OpenSearch (most_fields ${SEARCH_FIELDS.join(' ')})`
          : `Tessera BM25F (k1 ${BM25F.k1}, title ×${BM25F.titleWeight} b ${BM25F.titleB}, body b ${BM25F.bodyB})`,
        path: 'a',
        scores: { ndcgAt10: tessera.ndcgAt10, mapAt100: tessera.mapAt100, recallAt100: tessera.recallAt100, emptyResultLists: tessera.emptyResultLists, queryCount: tessera.queryCount },
        latency: tessera.latency,
      },
      { label: '  of which: MCP search tool, top 10', path: 'b', scores: { ndcgAt10: mcpScores.ndcgAt10, emptyResultLists: mcpScores.emptyResultLists, queryCount: mcpScores.queryCount }, latency: latencyOf(mcpMs) },
      { label: '  of which: backend.search, limit 100', path: 'c', scores: backendScores, latency: latencyOf(backendMs) },
      { label: `Okapi BM25 reference (k1 ${TEXTBOOK_BM25.k1}, b ${TEXTBOOK_BM25.b})`, path: 'd', scores: referenceScores, latency: latencyOf(referenceMs) },
    ];
    printTable(rows);
    console.log(
      [
        '  a: nDCG@10, empty and latency through MCP (b); MAP@100 and Recall@100 from the backend in process (c)',
        '  b: MCP `search` over HTTP with the SDK client, as ChatGPT calls it; latency per call, sequential, after one warm-up',
        `  c: ${backendClass}.search(limit ${DEEP_LIMIT}) ${onOpenSearch ? 'against the node' : "on the platform's own database"}; latency in process`,
        '  d: in memory over the same stored title + text, same analyzer; latency is in-process scoring time',
        `  MCP top 10 = backend top 10 for ${queries.length - pathMismatches.length} of ${queries.length} queries; ` +
          `ACL checks: ${aclFailures.length === 0 ? 'passed' : `${aclFailures.length} failed`}`,
      ].join('\n'),
    );

    if (tessera.ndcgAt10 < referenceScores.ndcgAt10) {
      failures.push(`Tessera nDCG@10 ${tessera.ndcgAt10.toFixed(4)} < reference ${referenceScores.ndcgAt10.toFixed(4)}`);
    }
    if (tessera.emptyResultLists > 0) failures.push(`${tessera.emptyResultLists} judged queries returned an empty list through MCP`);

    const explain = options.explain ? await explainLongestQuery(dataSource, workspaceId, queries) : undefined;

    const report = {
      collection: {
        name: 'CISI',
        directory: options.cisiDirectory,
        documents: docs.length,
        judgedQueries: queries.length,
        shortenedQueries: queries.filter((q) => q.shortened).map((q) => q.id),
        restrictedDocuments: restrictedCount,
      },
      backend: backendName,
      database: version,
      bm25f: BM25F,
      tessera,
      reference: { ...referenceScores, latency: latencyOf(referenceMs), parameters: TEXTBOOK_BM25, source: 'in-process Okapi BM25 over the stored title + text' },
      rows,
      checks: {
        mcpTop10EqualsBackendTop10: { equal: queries.length - pathMismatches.length, of: queries.length },
        acl: { failures: aclFailures },
        ingest: summary,
      },
      timings: {
        startMs: Math.round(boot.ms),
        ingestMs: Math.round(ingest.ms),
        aclChecksMs: Math.round(aclMs),
        totalMs: Math.round(performance.now() - runStart),
      },
      ...(explain ? { explain } : {}),
      passed: failures.length === 0,
      failures,
    };
    const outputDirectory = join(REPOSITORY_ROOT, 'bench-results');
    mkdirSync(outputDirectory, { recursive: true });
    const outputFile = join(outputDirectory, `relevance-${backendName}.json`);
    writeFileSync(outputFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwritten to ${outputFile}; ${(report.timings.totalMs / 1000).toFixed(1)} s in all`);
  } finally {
    if (node && workspaceToDrop) await put.platform.app.get<SearchBackend>(SEARCH_BACKEND).dropWorkspace(workspaceToDrop).catch(() => undefined);
    await put.close();
    await node?.stop();
  }

  if (failures.length > 0) {
    console.error(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('PASSED: Tessera ranks at least as well as the reference, and no judged query came back empty');
  }
}

/** title and text of each document as the backend serves them (fetch's path). */
async function storedInBackend(backend: SearchBackend, workspaceId: string, ids: readonly string[]) {
  const stored: Array<{ id: string; title: string; text: string }> = [];
  for (const id of ids) {
    const doc = await backend.get(workspaceId, id);
    if (doc) stored.push({ id: doc.id, title: doc.title, text: doc.text });
  }
  return stored;
}

/**
 * A reader without the group is ranked over the documents it may read alone (README, Security): its
 * backend ranking, 100 deep, must hold what the independent BM25F reference over those documents
 * ranks best, with the reference's scores, and no restricted document; MCP must show its prefix.
 */
async function checkAcl(
  backend: SearchBackend,
  workspaceId: string,
  connectorUrl: string,
  outsiderToken: string,
  queries: readonly BenchQuery[],
  visible: ReadonlyArray<{ id: string; title: string; text: string }>,
): Promise<string[]> {
  const failures: string[] = [];
  const outsiderFilter: ReaderFilter = { identifiers: principalIdentifiers(OUTSIDER_SUBJECT), groups: [] };
  const reference = new Bm25fIndex(
    visible.map((doc) => ({ id: doc.id, fields: { title: doc.title, text: doc.text } })),
    analyze,
    { title: { weight: BM25F.titleWeight, b: BM25F.titleB }, text: { weight: 1, b: BM25F.bodyB } },
    BM25F.k1,
  );
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  const outsider = await connectMcp(connectorUrl, outsiderToken);
  try {
    for (const query of queries) {
      const scores = reference.scores(query.text);
      const best = [...scores.values()].sort((a, b) => b - a);
      const hits = await backend.search(workspaceId, { query: query.text, reader: outsiderFilter, limit: DEEP_LIMIT });
      const matches =
        hits.length === Math.min(DEEP_LIMIT, best.length) &&
        hits.every((hit, i) => scores.has(hit.id) && close(hit.score, scores.get(hit.id)!) && close(hit.score, best[i]!));
      if (!matches) failures.push(`query ${query.id}: backend ranking for a reader without the group is not BM25F over what it may read`);
      const deep = hits.map((h) => h.id);
      const { ids, error } = await mcpSearch(outsider, query.text);
      if (error || !sameList(ids, deep.slice(0, ids.length)) || (ids.length < 10 && ids.length !== deep.length)) failures.push(`query ${query.id}: MCP ranking for a reader without the group differs from the backend's`);
    }
  } finally {
    await outsider.close();
  }
  return failures;
}

/**
 * EXPLAIN ANALYZE of what searching asks the database for the query with the most distinct terms
 * (after a warm-up run): its terms' posting blocks, read as tessera_term_posting_blocks reads them (scoring
 * then happens in the search process).
 */
async function explainLongestQuery(dataSource: DataSource, workspaceId: string, queries: readonly BenchQuery[]) {
  const longest = [...queries].sort((a, b) => analyzeQuery(b.text).length - analyzeQuery(a.text).length)[0]!;
  const terms = analyzeQuery(longest.text).map((t) => t.term);
  const read = `SELECT q.term, (SELECT string_agg(b.postings, ''::bytea) FROM posting_blocks b WHERE b.workspace_id = $1 AND b.term = q.term) AS packed
                  FROM unnest($2::text[]) AS q(term)`;
  // Inside the workspace's row-security scope, as the product runs it.
  return readInWorkspace(dataSource, workspaceId, async (db) => {
    const rows = (await db.query(read, [workspaceId, terms])) as unknown as Array<{ packed: Buffer | null }>;
    const postings = rows.reduce((n, r) => n + (r.packed?.length ?? 0) / POSTING_RECORD_BYTES, 0);
    const plan = ((await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${read}`, [workspaceId, terms])) as Array<{ 'QUERY PLAN': string }>).map(
      (row) => row['QUERY PLAN'],
    );
    const runs: number[] = [];
    for (let i = 0; i < 20; i++) runs.push((await timed(() => db.query(read, [workspaceId, terms]))).ms);
    console.log(
      `\nEXPLAIN ANALYZE of the postings read, query ${longest.id}: ${terms.length} distinct terms, ${postings} postings read; ` +
        `20 runs through the driver: p50 ${percentile(runs, 50).toFixed(2)} ms, p95 ${percentile(runs, 95).toFixed(2)} ms`,
    );
    console.log(plan.map((line) => `  ${line}`).join('\n'));
    return { queryId: longest.id, distinctTerms: terms.length, postingsRead: postings, driverP50Ms: percentile(runs, 50), driverP95Ms: percentile(runs, 95), plan };
  });
}

function printTable(rows: readonly ResultRow[]): void {
  const cell = (value: number | undefined, digits: number, width: number) => (value === undefined ? '—' : value.toFixed(digits)).padStart(width);
  const header = ['system'.padEnd(62), 'nDCG@10'.padStart(8), 'MAP@100'.padStart(8), 'Recall@100'.padStart(11), 'empty'.padStart(7), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8)];
  console.log(`\n${header.join(' ')}`);
  for (const row of rows) {
    const s = row.scores;
    console.log(
      [
        `${row.label} (${row.path})`.padEnd(62),
        cell(s.ndcgAt10, 3, 8),
        cell(s.mapAt100, 3, 8),
        cell(s.recallAt100, 3, 11),
        (s.emptyResultLists === undefined ? '—' : `${s.emptyResultLists}/${s.queryCount}`).padStart(7),
        cell(row.latency.p50Ms, 2, 8),
        cell(row.latency.p95Ms, 2, 8),
      ].join(' '),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
