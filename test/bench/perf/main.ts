/**
 * `npm run bench`: the reproducible performance benchmark (see README.md beside this file).
 *
 * 1. Generates a deterministic 10,000-document Zipfian corpus.
 * 2. Starts the platform in a child process on a fresh PostgreSQL database (or PGlite, --embedded).
 * 3. Loads the corpus through documents:bulk, then the same corpus with a plain INSERT (the floor).
 * 4. Drives the MCP endpoint with autocannon from this process: tools/list, initialize, search, fetch;
 *    and the same requests against raw Node http and the MCP SDK's stateless pattern (children too).
 * 5. Prints one table with the issue's targets and writes bench-results/perf-<backend>.json.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { openSearchNode } from '../../support/opensearch-node';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { startChild, type ChildHandle } from './children';
import { benchQueries, buildCorpus, shuffled, type BenchDocument } from './corpus';
import { batchDocuments, ingestPlainInsert, ingestThroughApi, type IngestResult } from './ingest';
import { jsonRpc, runLoad, type LoadOptions, type LoadResult } from './load';
import { machineInfo, processCpuMicros, startCpuMeter, type CpuSplit } from './machine';
import { parseBenchOptions, type Scenario } from './options';
import { formatProfileSummary, readProfileSummary, type ProfileSummary } from './profile-summary';
import { buildRows, formatTable, type MeasuredLoad, type Measurements } from './report';

const ROOT = resolve(__dirname, '../../..');
const TENANT = 'bench';
const WORKSPACE = 'corpus';
import { formatCpu, freePort, gitCommit, log, mcpCall, probe, runSoak, tenantApi, toolJson, workloads, type Workload } from './session';

interface ScenarioRecord {
  readonly load: MeasuredLoad;
  readonly cpu: CpuSplit;
  readonly profile?: string;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const outDir = resolve(ROOT, options.outDir);
  const profileDir = join(outDir, 'profiles');
  mkdirSync(options.cpuProf ? profileDir : outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  log(`${options.backend}, ${options.documents} documents, ${options.durationSeconds} s per scenario, ${options.connections} connections; ` +
      `${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadavg.join(' ')}`);

  // 1. Corpus
  let t = Date.now();
  const corpus = buildCorpus({ documents: options.documents });
  // Released before the load phase (see below): the load generator must not stall on a big heap.
  let documents: BenchDocument[] | undefined = [...corpus.documents()];
  let batches: ReturnType<typeof batchDocuments> | undefined = batchDocuments(documents);
  const documentCount = documents.length;
  const bulkRequests = batches.length;
  const queries = benchQueries(corpus, options.queries);
  const textBytes = documents.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
  log(`corpus: ${documentCount} documents, ${(textBytes / 1e6).toFixed(1)} MB of text, ${corpus.restrictedIds.size} restricted, ` +
      `${batches.length} bulk requests, ${queries.length} queries (${Date.now() - t} ms)`);

  // 2. Platform
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  const adminToken = `tsa_${randomBytes(24).toString('base64url')}`;
  let testDb: TestDatabase | undefined;
  const children: ChildHandle[] = [];
  const stopChild = async (child: ChildHandle | undefined) => {
    if (!child) return;
    await child.stop();
    children.splice(children.indexOf(child), 1);
  };
  const results: Record<string, unknown> = {};
  let admin: Client | undefined;
  let openSearch: { url: string; stop(): Promise<void> } | undefined;
  try {
    const reuse = options.reuseDatabase;
    if (reuse) testDb = { url: reuse, drop: async () => undefined };
    else if (options.backend !== 'pglite') testDb = await createTestDatabase();
    if (options.backend === 'opensearch') openSearch = await openSearchNode(options.openSearchUrl);
    const platformModule = options.fromSource ? join(ROOT, 'apps/standalone/src/platform.ts') : join(ROOT, 'dist/apps/standalone/src/platform.js');
    if (!existsSync(platformModule)) throw new Error(`${relative(ROOT, platformModule)} is missing: run node scripts/build.js (npm run bench builds first)`);
    // Warm fetch means every document held: the document cache is sized to the corpus, and so is the
    // gateway's fetch result cache, which takes the same figure (a result holds the text twice, as UTF-8).
    const documentCacheMb = Math.max(128, Math.ceil((4 * textBytes) / 2 ** 20 / 64) * 64);
    log(`DOCUMENT_CACHE_MB=${documentCacheMb}, so that every document can be held`);
    results.documentCacheMb = documentCacheMb;
    t = Date.now();
    const platform = await startChild('platform', 'serve-platform.ts', {
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: baseUrl,
        DATA_DIR: dataDir,
        TESSERA_ADMIN_TOKEN: adminToken,
        TESSERA_SEED_DEMO: 'false',
        DOCUMENT_CACHE_MB: String(documentCacheMb),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        NODE_ENV: 'production',
        BENCH_PLATFORM_MODULE: platformModule,
        ...(testDb ? { DATABASE_URL: testDb.url } : { DATABASE_URL: '' }),
        ...(openSearch ? { SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: openSearch.url, OPENSEARCH_REPLICAS: '0', OPENSEARCH_REQUEST_TIMEOUT_MS: '30000' } : {}),
      },
      execArgv: ['--expose-gc'],
    });
    children.push(platform);
    log(`platform (${options.fromSource ? 'sources' : 'dist'}) pid ${platform.pid} at ${baseUrl} (${Date.now() - t} ms)`);
    const profiled = async <T>(name: string, work: () => Promise<T>): Promise<{ value: T; profile?: string }> => {
      if (!options.cpuProf) return { value: await work() };
      await platform.profileStart();
      const value = await work();
      const file = join(profileDir, `${options.backend}-${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
      await platform.profileStop(file);
      return { value, profile: file };
    };
    const platformCpu = async () => {
      const c = await platform.cpu();
      return c.user + c.system;
    };

    // A connection of our own to the benchmark database: CHECKPOINT, ANALYZE, and the CPU its backends use.
    admin = testDb ? new Client({ connectionString: testDb.superuserUrl ?? testDb.url }) : undefined;
    await admin?.connect();
    const ownPid = admin ? Number((await admin.query('SELECT pg_backend_pid() AS pid')).rows[0].pid) : 0;
    const postgresCpu = async (): Promise<number | undefined> => {
      if (!admin) return undefined;
      const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1', [ownPid]);
      return rows.reduce((sum: number, r: { pid: number }) => sum + processCpuMicros(Number(r.pid)), 0);
    };
    const delta = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : b - a);

    const api = tenantApi(baseUrl, adminToken);
    if (!reuse) await api.call('POST', '/v1/tenants', { slug: TENANT, name: 'Benchmark' });
    const workspace = reuse
      ? await api.call('GET', `/v1/tenants/${TENANT}/workspaces/${WORKSPACE}`)
      : await api.call('POST', `/v1/tenants/${TENANT}/workspaces`, { slug: WORKSPACE, name: 'Benchmark corpus' });
    // The connector URL names this run's port; a reused database remembers nothing of it.
    const connectorUrl: string = workspace.connectorUrl;
    const walPosition = async (): Promise<string | undefined> => (admin ? (await admin.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn : undefined);
    const walBytesSince = async (from: string | undefined): Promise<number | undefined> =>
      admin && from ? Number((await admin.query('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS bytes', [from])).rows[0].bytes) : undefined;
    let bulk: { value: IngestResult; profile?: string } | undefined;
    let bulkCpu: CpuSplit | undefined;
    let bulkWal: number | undefined;
    let floor: IngestResult | undefined;
    let floorCpu: CpuSplit | undefined;
    let floorWal: number | undefined;
    if (reuse) log(`reusing ${reuse}: no ingestion`);
    else {
      // 3. Ingestion through the product
      await admin?.query('CHECKPOINT');
      log(`loading ${documentCount} documents through documents:bulk (${options.ingestConcurrency} in flight)…`);
      let lastReport = Date.now();
      const wal0 = await walPosition();
      const cpuIngest = startCpuMeter();
      const cpuBefore = await platformCpu();
      const pgBefore = await postgresCpu();
      bulk = await profiled('ingest', () =>
        ingestThroughApi(`${baseUrl}/v1/tenants/${TENANT}/workspaces/${WORKSPACE}/documents:bulk`, adminToken, batches!, options.ingestConcurrency, (done) => {
          if (Date.now() - lastReport > 10_000) {
            lastReport = Date.now();
            log(`  ${done} documents…`);
          }
        }),
      );
      bulkCpu = cpuIngest.stop((await platformCpu()) - cpuBefore, delta(pgBefore, await postgresCpu()));
      bulkWal = await walBytesSince(wal0);
      log(`documents:bulk: ${bulk.value.docsPerSecond.toFixed(0)} docs/s (${bulk.value.seconds.toFixed(1)} s, ${bulk.value.megabytesPerSecond.toFixed(1)} MB/s); ` +
          `CPU cores: ${formatCpu(bulkCpu)}${bulkWal !== undefined ? `; WAL ${(bulkWal / 1e6).toFixed(0)} MB` : ''}`);
      if (admin && options.backend !== 'opensearch') {
        // What autovacuum does after a bulk load, done now rather than at a time of its choosing:
        // planner statistics and the visibility map.
        t = Date.now();
        await admin.query('VACUUM (ANALYZE) documents, posting_blocks, workspace_search_stats');
        const [size] = (await admin.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size,
            (SELECT sum(length(postings))::bigint / 22 FROM posting_blocks) AS postings, (SELECT count(*) FROM posting_blocks) AS rows`)).rows;
        log(`VACUUM (ANALYZE) (${Date.now() - t} ms); database ${size.size}, ${Number(size.postings).toLocaleString('en-US')} postings ` +
            `in ${Number(size.rows).toLocaleString('en-US')} block rows`);
        results.database = { size: size.size, postings: Number(size.postings), blockRows: Number(size.rows) };
      }

      // 3b. The floor: plain INSERT with a generated tsvector and GIN
      if (options.ingestFloor) {
        log('loading the same corpus with a plain batched INSERT (generated tsvector + GIN)…');
        const meter = startCpuMeter();
        if (testDb) {
          await admin!.query('CHECKPOINT');
          const walFloor0 = await walPosition();
          floor = await ingestPlainInsert(testDb.url, batches!, options.ingestConcurrency);
          floorWal = await walBytesSince(walFloor0);
        } else {
          const pglite = await startChild('pglite-floor', 'serve-pglite.ts');
          children.push(pglite);
          try {
            const c = pglite.info.connection as { host: string; port: number; username: string; database: string };
            floor = await ingestPlainInsert({ host: c.host, port: c.port, user: c.username, database: c.database }, batches!, 1);
          } finally {
            await stopChild(pglite);
          }
        }
        floorCpu = meter.stop();
        log(`plain INSERT: ${floor.docsPerSecond.toFixed(0)} docs/s (${floor.seconds.toFixed(1)} s)${floorWal !== undefined ? `; WAL ${(floorWal / 1e6).toFixed(0)} MB` : ''}`);
      }
    }

    // 4. Tokens and correctness probes. The load generator is one client hammering one workspace, so the
    // connector's rate limits (a protection, not what is measured) are lifted for the benchmark workspace.
    await api.call('PATCH', `/v1/tenants/${TENANT}/workspaces/${WORKSPACE}`, {
      rateLimits: { workspacePerMinute: 1_000_000, principalPerMinute: 1_000_000, clientPerMinute: 1_000_000 },
    });
    const tokenPath = `/v1/tenants/${TENANT}/workspaces/${WORKSPACE}/access-tokens`;
    const reader = (await api.call('POST', tokenPath, { subject: 'reader@bench.example' })).token as string;
    const insider = (await api.call('POST', tokenPath, { subject: 'insider@bench.example', groups: [corpus.options.restrictedGroup] })).token as string;
    const fetchIds = shuffled(corpus.ids, 7);
    const publicIds = fetchIds.filter((id) => !corpus.restrictedIds.has(id));
    const work = workloads({ reader, insider }, queries, fetchIds, publicIds);
    const probes = await probe(connectorUrl, { reader, insider }, queries, documents!, corpus.restrictedIds);
    log(`probes: ${JSON.stringify(probes)}`);
    documents = undefined;
    batches = undefined;
    (globalThis as { gc?: () => void }).gc?.();

    // 5. Load
    const run = (url: string, workload: Workload, durationSeconds: number, extra: Partial<LoadOptions> = {}) =>
      runLoad({ url, bodies: workload.bodies, headers: workload.headers, connections: options.connections, durationSeconds, ...extra });
    const measure = async (label: string, url: string, workload: Workload, child: ChildHandle, profileName?: string): Promise<ScenarioRecord> => {
      if (options.warmupSeconds > 0) await run(url, workload, options.warmupSeconds);
      const meter = startCpuMeter();
      const c0 = await child.cpu();
      const pg0 = child === platform ? await postgresCpu() : undefined;
      let profile: string | undefined;
      let load: LoadResult;
      if (profileName && options.cpuProf) {
        const r = await profiled(profileName, () => run(url, workload, options.durationSeconds));
        load = r.value;
        profile = r.profile;
      } else {
        load = await run(url, workload, options.durationSeconds);
      }
      const c1 = await child.cpu();
      const serverCpu = c1.user + c1.system - c0.user - c0.system;
      const cpu = meter.stop(serverCpu, child === platform ? delta(pg0, await postgresCpu()) : undefined);
      const serverCpuUsPerRequest = Math.round(serverCpu / Math.max(load.requests, 1));
      const bad = load.errors + load.non2xx + load.timeouts;
      log(`${label.padEnd(34)} ${load.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${load.latencyMs.p50} ms  p99 ${load.latencyMs.p99} ms  ${serverCpuUsPerRequest} µs CPU/req` +
          `${bad ? `  ${bad} FAILED` : ''}  [CPU cores: ${formatCpu(cpu)}]`);
      return { load: { ...load, serverCpuUsPerRequest }, cpu, profile };
    };

    // Each baseline runs right before the scenarios compared with it, so that a change in the
    // machine's load between them skews the ratio as little as possible; --rounds repeats the whole
    // sequence and keeps, per row, the run with the median req/s.
    let raw: ChildHandle | undefined;
    let sdk: ChildHandle | undefined;
    const wants = (...names: Scenario[]) => options.scenarios.some((s) => names.includes(s));
    if (options.baselines && wants('tools/list', 'initialize', 'tools/list@2026-07-28')) {
      raw = await startChild('raw-node', 'serve-raw.ts');
      children.push(raw);
      await mcpCall(raw.url, undefined, jsonRpc(1, 'tools/list'));
    }
    if (options.baselines && wants('search', 'fetch', 'search@2026-07-28', 'fetch@2026-07-28')) {
      sdk = await startChild('sdk-stateless', 'serve-sdk.ts');
      children.push(sdk);
      const answer = toolJson(await mcpCall(sdk.url, undefined, jsonRpc(1, 'tools/call', { name: 'search', arguments: { query: 'x' } })));
      if (!Array.isArray(answer.results)) throw new Error('the SDK baseline did not answer search');
    }
    // Search keeps each term's postings in memory once asked (SEARCH_CACHE_MB), fetch each fetched
    // document (DOCUMENT_CACHE_MB): the first pass over the query set and over the corpus, every query
    // asked and every document fetched once, is measured on its own; the scenarios then measure steady state.
    let searchFirstPass: LoadResult | undefined;
    let fetchFirstPass: LoadResult | undefined;
    if (wants('search')) {
      searchFirstPass = await run(connectorUrl, work.search, options.durationSeconds, { amount: queries.length });
      log(`platform: search, first pass (${queries.length} queries, cold postings cache): ${searchFirstPass.requestsPerSecond.toFixed(0)} req/s  ` +
          `p50 ${searchFirstPass.latencyMs.p50} ms  p99 ${searchFirstPass.latencyMs.p99} ms`);
    }
    if (wants('fetch')) {
      fetchFirstPass = await run(connectorUrl, work.fetch, options.durationSeconds, { amount: fetchIds.length });
      log(`platform: fetch, first pass (${fetchIds.length} documents, cold document cache): ${fetchFirstPass.requestsPerSecond.toFixed(0)} req/s  ` +
          `p50 ${fetchFirstPass.latencyMs.p50} ms  p99 ${fetchFirstPass.latencyMs.p99} ms`);
    }
    const runs = new Map<string, ScenarioRecord[]>();
    const record = (key: string, r: ScenarioRecord) => runs.set(key, [...(runs.get(key) ?? []), r]);
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) log(`round ${round} of ${options.rounds}`);
      const last = round === options.rounds;
      if (raw) record('raw-node', await measure('baseline raw Node: tools/list', raw.url, work['tools/list'], raw));
      for (const scenario of options.scenarios.filter((s) => s === 'tools/list' || s === 'initialize' || s === 'tools/list@2026-07-28')) {
        record(scenario, await measure(`platform: ${scenario}`, connectorUrl, work[scenario], platform, last ? scenario : undefined));
      }
      if (sdk) record('sdk-stateless', await measure('baseline SDK stateless: search', sdk.url, work.search, sdk));
      for (const scenario of options.scenarios.filter((s) => s.startsWith('search') || s.startsWith('fetch'))) {
        record(scenario, await measure(`platform: ${scenario}`, connectorUrl, work[scenario], platform, last ? scenario : undefined));
      }
    }
    await stopChild(raw);
    await stopChild(sdk);
    const median = (list: ScenarioRecord[]): ScenarioRecord => {
      const sorted = [...list].sort((a, b) => a.load.requestsPerSecond - b.load.requestsPerSecond);
      const chosen = sorted[Math.floor((sorted.length - 1) / 2)]!;
      return { ...chosen, profile: list.find((r) => r.profile)?.profile };
    };
    const baselineRecords: Record<string, ScenarioRecord> = {};
    for (const name of ['raw-node', 'sdk-stateless']) if (runs.has(name)) baselineRecords[name] = median(runs.get(name)!);
    const scenarioRecords: Partial<Record<Scenario, ScenarioRecord>> = {};
    for (const scenario of options.scenarios) scenarioRecords[scenario] = median(runs.get(scenario)!);

    // 6. Soak
    let soak: unknown;
    if (options.soakMinutes) soak = await runSoak(options, connectorUrl, work.soak, platform);

    // 7. Report
    const measurements: Measurements = {
      baselines: {
        ...(baselineRecords['raw-node'] ? { 'raw-node': { load: baselineRecords['raw-node'].load } } : {}),
        ...(baselineRecords['sdk-stateless'] ? { 'sdk-stateless': { load: baselineRecords['sdk-stateless'].load } } : {}),
        ...(floor ? { 'plain-insert': { ingest: floor } } : {}),
      },
      scenarios: Object.fromEntries(Object.entries(scenarioRecords).map(([k, v]) => [k, v.load])),
      bulk: bulk?.value,
    };
    const rows = buildRows(measurements);
    const finished = machineInfo();
    console.log('');
    console.log(`Tessera performance, ${options.backend}, ${startedAt} (commit ${gitCommit() ?? '?'}); ` +
        `load average at start ${machine.loadavg.join(' ')}, at end ${finished.loadavg.join(' ')}${options.cpuProf ? '; CPU-PROFILED (slower)' : ''}`);
    console.log(formatTable(rows));
    if (searchFirstPass) {
      console.log(`search, first pass over the ${queries.length} queries (postings not yet in memory): ${searchFirstPass.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${searchFirstPass.latencyMs.p50} ms, p99 ${searchFirstPass.latencyMs.p99} ms`);
    }
    if (fetchFirstPass) {
      console.log(`fetch, first pass over the ${fetchIds.length} documents (none yet in memory): ${fetchFirstPass.requestsPerSecond.toFixed(0)} req/s, ` +
          `p50 ${fetchFirstPass.latencyMs.p50} ms, p99 ${fetchFirstPass.latencyMs.p99} ms`);
    }

    const profiles: ProfileSummary[] = [];
    if (options.cpuProf) {
      const files = [bulk?.profile, ...Object.values(scenarioRecords).map((r) => r.profile)].filter((f): f is string => !!f);
      for (const file of files) {
        const summary = readProfileSummary(file, 25);
        profiles.push({ ...summary, file: relative(ROOT, file) });
        console.log('');
        console.log(formatProfileSummary({ ...summary, file: relative(ROOT, file) }, 12));
      }
    }

    const jsonFile = join(outDir, `perf-${options.backend}.json`);
    writeFileSync(
      jsonFile,
      JSON.stringify(
        {
          backend: options.backend,
          startedAt,
          finishedAt: new Date().toISOString(),
          commit: gitCommit(),
          platform: options.fromSource ? 'sources (@swc-node/register)' : 'dist',
          profiled: options.cpuProf,
          machine: { ...machine, loadavgAtEnd: finished.loadavg },
          options,
          corpus: {
            documents: documentCount,
            textBytes,
            restricted: corpus.restrictedIds.size,
            vocabulary: corpus.vocabulary.length,
            seed: corpus.options.seed,
            bulkRequests,
            queries: queries.length,
          },
          ...results,
          walBytes: { bulk: bulkWal, floor: floorWal },
          probes,
          rows,
          searchFirstPass,
          fetchFirstPass,
          cpu: {
            ingest: bulkCpu,
            floor: floorCpu,
            ...Object.fromEntries(Object.entries(baselineRecords).map(([k, v]) => [k, v.cpu])),
            ...Object.fromEntries(Object.entries(scenarioRecords).map(([k, v]) => [k, v.cpu])),
          },
          soak,
          profiles,
        },
        null,
        2,
      ) + '\n',
    );
    log(`wrote ${relative(ROOT, jsonFile)}`);
  } finally {
    await admin?.end().catch(() => undefined);
    for (const child of [...children].reverse()) await child.stop().catch(() => undefined);
    if (options.reuseDatabase) log(`left the reused database as it was`);
    else if (testDb && options.keepDatabase) log(`kept the database: ${testDb.url}`);
    else await testDb?.drop().catch((error: unknown) => console.error('could not drop the benchmark database', error));
    await rm(dataDir, { recursive: true, force: true });
    await openSearch?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
