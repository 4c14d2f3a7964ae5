import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { WorkspaceLabelMode } from '../config/observability-config';
import {
  AUDIT_OUTCOMES,
  type AuditOutcome,
  BACKEND_OPS,
  type BackendOp,
  type BulkOutcome,
  type CallOutcome,
  type GuardAction,
  type HttpGroup,
  INGEST_OUTCOMES,
  type IngestOutcome,
  MCP_METHODS,
  MCP_TOOLS,
  type McpOutcome,
  type MetricDefinition,
  METRICS,
  type OAuthEndpoint,
  OAUTH_ERROR_CODES,
  OAUTH_GRANT_TYPES,
  type OAuthRegistrationMethod,
  REBALANCE_OUTCOMES,
  type RebalanceOutcome,
} from './metric-definitions';
import { HotCounter, HotHistogram } from './hot-metrics';
import type { PgPoolLike } from './pg-pool';
import type { SearchCacheStatsLike } from './search-cache';
import { BoundedLabel, WorkspaceLabeler } from './workspace-labeler';

/** An OAuth event worth counting; oidc-provider's events map onto these (see instrumentOidcProvider). */
export type OAuthEvent =
  | { readonly kind: 'registration'; readonly method: OAuthRegistrationMethod }
  | { readonly kind: 'authorization'; readonly outcome: 'granted' | 'denied' | 'error' }
  | { readonly kind: 'token'; readonly grantType: string }
  | { readonly kind: 'refresh_token_reuse' }
  | { readonly kind: 'error'; readonly endpoint: OAuthEndpoint; readonly error: string };

export interface TesseraMetricsOptions {
  /** Defaults to a new Registry. */
  readonly registry?: Registry;
  readonly workspaceLabels?: WorkspaceLabelMode;
  /** prom-client's process and Node.js metrics (CPU, memory, GC, event-loop lag). Default true. */
  readonly defaultMetrics?: boolean;
  readonly version?: string;
}

const METHODS = new Set<string>(MCP_METHODS);
const TOOLS = new Set<string>(MCP_TOOLS);
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/**
 * The typed facade over Tessera's one prom-client Registry. Methods are cheap enough for the MCP hot
 * path: label values are checked against small sets, and counters and histograms are HotCounter and
 * HotHistogram, whose label children are resolved once (bounded, because every label is).
 */
export class TesseraMetrics {
  readonly registry: Registry;
  readonly workspaces: WorkspaceLabeler;

  private readonly mcpRequests: HotCounter;
  private readonly mcpDuration: HotHistogram;
  private readonly searchResultCount: HotHistogram;
  private readonly backendDuration: HotHistogram;
  private readonly guardHits: HotCounter;
  private readonly searchRebalances: HotCounter;
  private readonly rateLimitRejections: HotCounter;
  private readonly httpRequests: HotCounter;
  private readonly httpDuration: HotHistogram;
  private readonly ingestedDocuments: HotCounter;
  private readonly bulkDuration: HotHistogram;
  private readonly oauthRegistrations: HotCounter;
  private readonly oauthAuthorizations: HotCounter;
  private readonly oauthTokens: HotCounter;
  private readonly oauthRefreshReuse: Counter;
  private readonly oauthErrors: HotCounter;
  private readonly auditEventCounts: HotCounter;

  private readonly backendOps = new BoundedLabel(24, BACKEND_OPS, false);
  private readonly guardRules = new BoundedLabel(50);
  private readonly rateLimitScopes = new BoundedLabel(20);
  private readonly grantTypes = new BoundedLabel(0, OAUTH_GRANT_TYPES);
  private readonly oauthErrorCodes = new BoundedLabel(0, OAUTH_ERROR_CODES);
  private readonly pools = new Map<string, PgPoolLike>();
  private searchCache?: () => SearchCacheStatsLike;

  static create(options: TesseraMetricsOptions = {}): TesseraMetrics {
    return new TesseraMetrics(options);
  }

  private constructor(options: TesseraMetricsOptions) {
    const registry = (this.registry = options.registry ?? new Registry());
    this.workspaces = new WorkspaceLabeler(options.workspaceLabels);
    const counter = (d: MetricDefinition) => new HotCounter({ name: d.name, help: d.help, labelNames: d.labelNames, registry });
    const histogram = (d: MetricDefinition) => new HotHistogram({ name: d.name, help: d.help, labelNames: d.labelNames, buckets: d.buckets ?? [], registry });

    this.mcpRequests = counter(METRICS.mcpRequests);
    this.mcpDuration = histogram(METRICS.mcpRequestDuration);
    this.searchResultCount = histogram(METRICS.searchResults);
    this.backendDuration = histogram(METRICS.backendDuration);
    this.guardHits = counter(METRICS.guardHits);
    this.searchRebalances = counter(METRICS.searchRebalances);
    this.rateLimitRejections = counter(METRICS.rateLimitRejections);
    this.httpRequests = counter(METRICS.httpRequests);
    this.httpDuration = histogram(METRICS.httpRequestDuration);
    this.ingestedDocuments = counter(METRICS.ingestedDocuments);
    this.bulkDuration = histogram(METRICS.bulkRequestDuration);
    this.oauthRegistrations = counter(METRICS.oauthRegistrations);
    this.oauthAuthorizations = counter(METRICS.oauthAuthorizations);
    this.oauthTokens = counter(METRICS.oauthTokens);
    this.oauthRefreshReuse = new Counter({ name: METRICS.oauthRefreshReuse.name, help: METRICS.oauthRefreshReuse.help, registers: [registry] });
    this.oauthErrors = counter(METRICS.oauthErrors);
    this.auditEventCounts = counter(METRICS.auditEvents);
    // Every outcome is a series from the start, so a rule can alert on the first rejected event.
    for (const outcome of AUDIT_OUTCOMES) this.auditEventCounts.labels(outcome).inc(0);

    const pools = this.pools;
    const poolGauge = (d: MetricDefinition, read: (pool: PgPoolLike) => number | undefined) =>
      scrapedGauge(registry, d, (set) => {
        for (const [name, pool] of pools) {
          const value = read(pool);
          if (value !== undefined) set({ pool: name }, value);
        }
      });
    poolGauge(METRICS.dbPoolConnections, (p) => p.totalCount);
    poolGauge(METRICS.dbPoolIdle, (p) => p.idleCount);
    poolGauge(METRICS.dbPoolWaiting, (p) => p.waitingCount);
    poolGauge(METRICS.dbPoolMax, (p) => p.options?.max);

    this.registerSearchCacheMetrics(registry);

    new Gauge({ name: METRICS.buildInfo.name, help: METRICS.buildInfo.help, labelNames: [...METRICS.buildInfo.labelNames], registers: [registry] })
      .set({ version: options.version ?? 'unknown', node_version: process.version }, 1);

    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  }

  /**
   * One MCP request (or one JSON-RPC message of it) answered. `method` is the JSON-RPC method ("http"
   * for a request refused before its body was read, "batch" for a batch); `tool` the tool called, if any.
   * `workspace`: the resolved workspace's id or "tenant/workspace" (see WorkspaceLabeler).
   */
  mcpRequest(method: string, tool: string | undefined, outcome: McpOutcome, seconds: number, workspace?: string): void {
    const m = METHODS.has(method) ? method : method.startsWith('notifications/') ? 'notifications' : 'other';
    const t = tool === undefined ? 'none' : TOOLS.has(tool) ? tool : 'other';
    const w = this.workspaces.label(workspace);
    this.mcpRequests.labels(m, t, outcome, w).inc();
    this.mcpDuration.labels(m, t, w).observe(seconds);
  }

  /** How many results one search call returned (0 is worth watching). */
  searchResults(count: number, workspace?: string): void {
    this.searchResultCount.labels(this.workspaces.label(workspace)).observe(count);
  }

  /** One search backend operation; see instrumentSearchBackend to time a whole backend at once. */
  backendCall(op: BackendOp, seconds: number, outcome: CallOutcome = 'ok'): void {
    this.backendDuration.labels(this.backendOps.value(op), outcome).observe(seconds);
  }

  /** An automatic rebalance of a workspace's index tier finished (see OpenSearch's AutoRebalancer). */
  searchRebalance(outcome: RebalanceOutcome): void {
    this.searchRebalances.labels(REBALANCE_OUTCOMES.includes(outcome) ? outcome : 'error').inc();
  }

  /** A guard rule matched (e.g. "base64_run", "email", "url_query", "hidden_html"). At most 50 distinct rules. */
  guardHit(rule: string, action: GuardAction = 'block'): void {
    this.guardHits.labels(this.guardRules.value(rule), action).inc();
  }

  /** A request refused by a rate limit; `scope` names the limit (e.g. "mcp", "login", "token", "api"). */
  rateLimited(scope: string): void {
    this.rateLimitRejections.labels(this.rateLimitScopes.value(scope)).inc();
  }

  /** Ingestion outcomes; `n` documents at once (a bulk summary) or one. */
  ingested(outcome: IngestOutcome, n = 1): void {
    if (n > 0) this.ingestedDocuments.labels(outcome).inc(n);
  }

  /** A bulk request's summary (`{ created, updated, unchanged, failed }`), counted in one go. */
  ingestedSummary(summary: Partial<Record<IngestOutcome, number>>): void {
    for (const outcome of INGEST_OUTCOMES) this.ingested(outcome, summary[outcome] ?? 0);
  }

  /** One bulk NDJSON request finished. */
  bulkRequest(seconds: number, outcome: BulkOutcome = 'success'): void {
    this.bulkDuration.labels(outcome).observe(seconds);
  }

  oauthEvent(event: OAuthEvent): void {
    switch (event.kind) {
      case 'registration':
        return this.oauthRegistrations.labels(event.method).inc();
      case 'authorization':
        return this.oauthAuthorizations.labels(event.outcome).inc();
      case 'token':
        return this.oauthTokens.labels(this.grantTypes.value(event.grantType)).inc();
      case 'refresh_token_reuse':
        return this.oauthRefreshReuse.inc();
      case 'error':
        return this.oauthErrors.labels(event.endpoint, this.oauthErrorCodes.value(event.error)).inc();
    }
  }

  /** What became of `n` audit events (AuditRepository reports every write through AUDIT_WRITE_OBSERVER). */
  auditEvents(outcome: AuditOutcome, n: number): void {
    if (n > 0) this.auditEventCounts.labels(outcome).inc(n);
  }

  /** Any HTTP request (bootstrap records these for every app). */
  httpRequest(group: HttpGroup, status: number, seconds: number): void {
    this.httpRequests.labels(group, statusClass(status)).inc();
    this.httpDuration.labels(group).observe(seconds);
  }

  /** Reports a pg Pool's total/idle/waiting counts at every scrape; returns a function that stops it. */
  observePool(name: string, pool: PgPoolLike): () => void {
    this.pools.set(name, pool);
    return () => {
      if (this.pools.get(name) === pool) this.pools.delete(name);
    };
  }

  /**
   * Reports a search backend's caches at every scrape (tessera_search_cache_*, tessera_index_changes_listening,
   * tessera_search_answers_total); returns a function that stops it. One source at a time: a later call
   * replaces an earlier one (a process builds one backend; in tests, the newest app's wins).
   */
  watchSearchCache(read: () => SearchCacheStatsLike): () => void {
    this.searchCache = read;
    return () => {
      if (this.searchCache === read) this.searchCache = undefined;
    };
  }

  /** The Prometheus text exposition of everything in the registry. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** Gauges and a counter read from the watched source at scrape time; no series while there is none. */
  private registerSearchCacheMetrics(registry: Registry): void {
    // A failing source omits its series rather than failing the whole scrape.
    const read = (): SearchCacheStatsLike | undefined => {
      try {
        return this.searchCache?.();
      } catch {
        return undefined;
      }
    };
    const cacheGauge = (d: MetricDefinition, bytes: (s: SearchCacheStatsLike) => Record<'postings' | 'documents', number>) =>
      scrapedGauge(registry, d, (set) => {
        const stats = read();
        if (stats) for (const [cache, value] of Object.entries(bytes(stats))) set({ cache }, value);
      });
    cacheGauge(METRICS.searchCacheBytes, (s) => ({ postings: s.postingsBytes, documents: s.documentBytes }));
    cacheGauge(METRICS.searchCacheBudget, (s) => ({ postings: s.postingsBudgetBytes, documents: s.documentBudgetBytes }));
    new Gauge({
      name: METRICS.indexChangesListening.name,
      help: METRICS.indexChangesListening.help,
      registers: [registry],
      collect() {
        const listening = read()?.listening ?? null;
        // An unlabelled gauge starts at (and resets to) 0; remove() makes it absent instead.
        if (listening === null) this.remove();
        else this.set(listening ? 1 : 0);
      },
    });
    new Counter({
      name: METRICS.searchAnswers.name,
      help: METRICS.searchAnswers.help,
      labelNames: [...METRICS.searchAnswers.labelNames],
      registers: [registry],
      collect() {
        this.reset();
        const answers = read()?.answers;
        if (!answers) return;
        for (const tool of ['search', 'fetch'] as const) {
          for (const source of ['memory', 'database'] as const) this.inc({ tool, source }, answers[tool][source]);
        }
      },
    });
  }
}

/** A labelled gauge whose series are set afresh at every scrape by `fill` (never on a request path). */
function scrapedGauge(registry: Registry, d: MetricDefinition, fill: (set: (labels: Record<string, string>, value: number) => void) => void): Gauge {
  return new Gauge({
    name: d.name,
    help: d.help,
    labelNames: [...d.labelNames],
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}

function statusClass(status: number): string {
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? 'other';
}

let shared: TesseraMetrics | undefined;

/**
 * The process's one TesseraMetrics (and Registry). The first call decides the workspace label mode;
 * later calls return the same instance. Several apps in one process (standalone, tests) share it.
 */
export function sharedMetrics(options: Omit<TesseraMetricsOptions, 'registry'> = {}): TesseraMetrics {
  shared ??= TesseraMetrics.create(options);
  return shared;
}
