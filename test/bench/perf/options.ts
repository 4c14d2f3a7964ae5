/** Command-line options of `npm run bench` (scripts/bench.js passes them through). */

/** `…@2026-07-28`: the same request in the stateless revision (per-request `_meta`, Mcp-Method/Mcp-Name headers). */
export const SCENARIOS = ['tools/list', 'initialize', 'search', 'fetch', 'tools/list@2026-07-28', 'search@2026-07-28', 'fetch@2026-07-28'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  readonly backend: 'postgres' | 'pglite' | 'opensearch';
  /** --backend opensearch: the node (default $OPENSEARCH_URL, else one started from the Maven jars). */
  readonly openSearchUrl?: string;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly documents: number;
  readonly queries: number;
  readonly ingestConcurrency: number;
  readonly scenarios: readonly Scenario[];
  readonly baselines: boolean;
  readonly ingestFloor: boolean;
  readonly soakMinutes?: number;
  readonly soakRate: number;
  readonly sampleEverySeconds: number;
  readonly cpuProf: boolean;
  readonly fromSource: boolean;
  readonly outDir: string;
  readonly keepDatabase: boolean;
  readonly rounds: number;
  /** A database an earlier `--keep-db` run loaded: no ingestion, straight to the load phase. */
  readonly reuseDatabase?: string;
}

export const USAGE = `usage: npm run bench -- [options]

  --embedded              run on embedded PGlite instead of PostgreSQL on 127.0.0.1:5432
  --backend NAME          postgres (default), pglite (= --embedded) or opensearch: search and fetch in
                          OpenSearch, the platform's state in PostgreSQL; no plain-INSERT floor
  --opensearch-url URL    the node for --backend opensearch (default $OPENSEARCH_URL, else a local node
                          started from the Maven jars, scripts/opensearch.js)
  --duration S            seconds of load per scenario (default 10)
  --warmup S              unmeasured seconds before each scenario (default 2)
  --connections N         concurrent connections (default 20)
  --docs N                corpus size (default 10000)
  --queries N             distinct search queries to rotate through (default 1000)
  --ingest-concurrency N  bulk requests in flight (default 2, as the CLI)
  --only LIST             comma-separated subset of: tools/list,initialize,search,fetch,
                          tools/list@2026-07-28,search@2026-07-28,fetch@2026-07-28
  --rounds N              repeat baselines and scenarios N times, report the median run (default 1)
  --no-baselines          skip the raw Node and SDK baselines
  --no-floor              skip the plain INSERT ingestion floor
  --soak MINUTES          afterwards, a fixed-rate mix for MINUTES, sampling the platform's RSS and heap
  --rate N                soak request rate per second (default 200)
  --sample-every S        soak sampling period (default 30)
  --cpu-prof              CPU-profile the platform during ingestion and each scenario
                          (bench-results/profiles/*.cpuprofile, summarized at the end)
  --from-source           run the platform from the TypeScript sources instead of dist/
  --no-build              (scripts/bench.js) do not rebuild dist/ first
  --out DIR               where results go (default bench-results)
  --keep-db               keep the PostgreSQL database afterwards (its URL is printed), to investigate
  --reuse-db URL          run the load phase against a database kept by --keep-db (no ingestion, no floor)`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options = {
    backend: 'postgres' as 'postgres' | 'pglite' | 'opensearch',
    openSearchUrl: process.env.OPENSEARCH_URL as string | undefined,
    durationSeconds: 10,
    warmupSeconds: 2,
    connections: 20,
    documents: 10_000,
    queries: 1_000,
    ingestConcurrency: 2,
    scenarios: [...SCENARIOS] as Scenario[],
    baselines: true,
    ingestFloor: true,
    soakMinutes: undefined as number | undefined,
    soakRate: 200,
    sampleEverySeconds: 30,
    cpuProf: false,
    fromSource: false,
    outDir: 'bench-results',
    keepDatabase: false,
    rounds: 1,
    reuseDatabase: undefined as string | undefined,
  };
  const args = [...argv];
  const value = (flag: string) => {
    const v = args.shift();
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n\n${USAGE}`);
    return v;
  };
  const positive = (flag: string, integer = true) => {
    const v = Number(value(flag));
    if (!(v > 0) || (integer && !Number.isInteger(v))) throw new Error(`${flag} must be a positive ${integer ? 'integer' : 'number'}`);
    return v;
  };
  while (args.length > 0) {
    const arg = args.shift()!;
    switch (arg) {
      case '--embedded':
        options.backend = 'pglite';
        break;
      case '--backend': {
        const name = value(arg);
        if (name !== 'postgres' && name !== 'pglite' && name !== 'opensearch') throw new Error('--backend must be postgres, pglite or opensearch');
        options.backend = name;
        break;
      }
      case '--opensearch-url':
        options.openSearchUrl = value(arg);
        break;
      case '--duration':
        options.durationSeconds = positive(arg);
        break;
      case '--warmup': {
        const v = Number(value(arg));
        if (!(v >= 0)) throw new Error('--warmup must be ≥ 0');
        options.warmupSeconds = v;
        break;
      }
      case '--connections':
        options.connections = positive(arg);
        break;
      case '--docs':
        options.documents = positive(arg);
        break;
      case '--queries':
        options.queries = positive(arg);
        break;
      case '--ingest-concurrency':
        options.ingestConcurrency = positive(arg);
        break;
      case '--only': {
        const names = value(arg).split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
        if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
        options.scenarios = names as Scenario[];
        break;
      }
      case '--no-baselines':
        options.baselines = false;
        break;
      case '--no-floor':
        options.ingestFloor = false;
        break;
      case '--soak':
        options.soakMinutes = positive(arg, false);
        break;
      case '--rate':
        options.soakRate = positive(arg);
        break;
      case '--sample-every':
        options.sampleEverySeconds = positive(arg);
        break;
      case '--cpu-prof':
        options.cpuProf = true;
        break;
      case '--from-source':
        options.fromSource = true;
        break;
      case '--no-build':
        break; // handled by scripts/bench.js
      case '--rounds':
        options.rounds = positive(arg);
        break;
      case '--reuse-db':
        options.reuseDatabase = value(arg);
        break;
      case '--keep-db':
        options.keepDatabase = true;
        break;
      case '--out':
        options.outDir = value(arg);
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  if (options.reuseDatabase && options.backend !== 'postgres') throw new Error('--reuse-db works with PostgreSQL only');
  // The floor is a plain PostgreSQL INSERT: it says nothing about OpenSearch's ingestion.
  if (options.backend === 'opensearch') options.ingestFloor = false;
  return options;
}
