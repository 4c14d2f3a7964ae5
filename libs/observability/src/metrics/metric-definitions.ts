/**
 * Every Tessera metric, in one place: name (with its unit), type, help text and labels. Labels are
 * bounded sets only — never a query, document id, user, client or token. `workspace` is "all" unless
 * METRICS_WORKSPACE_LABELS allows per-workspace values (see WorkspaceLabeler).
 *
 * The Grafana dashboard and the Prometheus rules in deploy/ name these metrics; a test checks that
 * every name they use is defined here.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition<L extends string = string> {
  readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  readonly buckets?: readonly number[];
}

/** Bucket boundaries in seconds (or items). The gateway's are dense between 1 ms and 500 ms. */
export const BUCKETS = {
  gatewaySeconds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  backendSeconds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  httpSeconds: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  bulkSeconds: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  results: [0, 1, 2, 3, 5, 10, 20, 50],
} as const;

function define<L extends string>(definition: MetricDefinition<L>): MetricDefinition<L> {
  return definition;
}

export const METRICS = {
  // MCP gateway
  mcpRequests: define({
    type: 'counter',
    name: 'tessera_mcp_requests_total',
    help: 'MCP requests answered by the gateway, by JSON-RPC method, tool (search, fetch or none) and outcome.',
    labelNames: ['method', 'tool', 'outcome', 'workspace'],
  }),
  mcpRequestDuration: define({
    type: 'histogram',
    name: 'tessera_mcp_request_duration_seconds',
    help: 'Time from receiving an MCP request to its response, in seconds.',
    labelNames: ['method', 'tool', 'workspace'],
    buckets: BUCKETS.gatewaySeconds,
  }),
  searchResults: define({
    type: 'histogram',
    name: 'tessera_mcp_search_results',
    help: 'Results returned by one search tool call.',
    labelNames: ['workspace'],
    buckets: BUCKETS.results,
  }),
  backendDuration: define({
    type: 'histogram',
    name: 'tessera_search_backend_duration_seconds',
    help: 'Time one search backend operation took, in seconds, by operation and outcome (ok, error).',
    labelNames: ['op', 'outcome'],
    buckets: BUCKETS.backendSeconds,
  }),
  searchRebalances: define({
    type: 'counter',
    name: 'tessera_search_rebalances_total',
    help: 'Automatic workspace rebalances between the shared and a dedicated index, by outcome (moved, unchanged, busy: another replica was moving it, error).',
    labelNames: ['outcome'],
  }),
  guardHits: define({
    type: 'counter',
    name: 'tessera_guard_hits_total',
    help: 'Queries or documents the exfiltration and hygiene guards acted on, by rule and action (block, strip, flag).',
    labelNames: ['rule', 'action'],
  }),
  rateLimitRejections: define({
    type: 'counter',
    name: 'tessera_rate_limit_rejections_total',
    help: 'Requests rejected by a rate limit, by limit scope.',
    labelNames: ['scope'],
  }),

  // Any HTTP request (all apps), grouped by path prefix
  httpRequests: define({
    type: 'counter',
    name: 'tessera_http_requests_total',
    help: 'HTTP requests served, by route group (mcp, oauth, api, well_known, docs, health, other) and status class.',
    labelNames: ['group', 'status_class'],
  }),
  httpRequestDuration: define({
    type: 'histogram',
    name: 'tessera_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, in seconds, by route group.',
    labelNames: ['group'],
    buckets: BUCKETS.httpSeconds,
  }),

  // Ingestion (tenant API)
  ingestedDocuments: define({
    type: 'counter',
    name: 'tessera_ingest_documents_total',
    help: 'Documents received for ingestion, by outcome (created, updated, unchanged, failed).',
    labelNames: ['outcome'],
  }),
  bulkRequestDuration: define({
    type: 'histogram',
    name: 'tessera_ingest_bulk_request_duration_seconds',
    help: 'Time one bulk NDJSON ingestion request took, in seconds, by outcome (success, partial, error).',
    labelNames: ['outcome'],
    buckets: BUCKETS.bulkSeconds,
  }),

  // OAuth authorization server
  oauthRegistrations: define({
    type: 'counter',
    name: 'tessera_oauth_client_registrations_total',
    help: 'OAuth clients registered, by method (dcr, metadata_document, preregistered).',
    labelNames: ['method'],
  }),
  oauthAuthorizations: define({
    type: 'counter',
    name: 'tessera_oauth_authorizations_total',
    help: 'Authorization requests completed, by outcome (granted, denied, error).',
    labelNames: ['outcome'],
  }),
  oauthTokens: define({
    type: 'counter',
    name: 'tessera_oauth_tokens_issued_total',
    help: 'Token endpoint successes, by grant type.',
    labelNames: ['grant_type'],
  }),
  oauthRefreshReuse: define({
    type: 'counter',
    name: 'tessera_oauth_refresh_token_reuse_total',
    help: 'Rotated refresh tokens presented again (reuse detected; the grant was revoked).',
    labelNames: [],
  }),
  oauthErrors: define({
    type: 'counter',
    name: 'tessera_oauth_errors_total',
    help: 'OAuth error responses, by endpoint and RFC 6749 error code.',
    labelNames: ['endpoint', 'error'],
  }),

  // Database pool (read at scrape time from the pg Pool)
  dbPoolConnections: define({
    type: 'gauge',
    name: 'tessera_db_pool_connections',
    help: 'Connections the database pool holds open (busy and idle).',
    labelNames: ['pool'],
  }),
  dbPoolIdle: define({
    type: 'gauge',
    name: 'tessera_db_pool_idle_connections',
    help: 'Open database connections not in use.',
    labelNames: ['pool'],
  }),
  dbPoolWaiting: define({
    type: 'gauge',
    name: 'tessera_db_pool_waiting_clients',
    help: 'Queries waiting for a database connection.',
    labelNames: ['pool'],
  }),
  dbPoolMax: define({
    type: 'gauge',
    name: 'tessera_db_pool_max_connections',
    help: 'The database pool size limit.',
    labelNames: ['pool'],
  }),

  // Search caches of the PostgreSQL backend (read at scrape time from its cacheStats())
  searchCacheBytes: define({
    type: 'gauge',
    name: 'tessera_search_cache_bytes',
    help: 'Bytes the search caches hold, by cache (postings: postings and result metadata of searched terms; documents: fetched documents).',
    labelNames: ['cache'],
  }),
  searchCacheBudget: define({
    type: 'gauge',
    name: 'tessera_search_cache_budget_bytes',
    help: 'The byte budget of each search cache (SEARCH_CACHE_MB, DOCUMENT_CACHE_MB); 0 when it is off.',
    labelNames: ['cache'],
  }),
  indexChangesListening: define({
    type: 'gauge',
    name: 'tessera_index_changes_listening',
    help: '1 while PostgreSQL index change announcements are heard, 0 while not (every search and fetch then asks the database); absent where nothing listens (cache off, embedded PGlite).',
    labelNames: [],
  }),
  searchAnswers: define({
    type: 'counter',
    name: 'tessera_search_answers_total',
    help: 'Searches and fetches of readers answered by the search backend, by tool and source (memory: no database round trip; database).',
    labelNames: ['tool', 'source'],
  }),

  // Audit trail (every writer records through one repository)
  auditEvents: define({
    type: 'counter',
    name: 'tessera_audit_events_total',
    help: 'Audit events by outcome: written; rejected (the database refused that one event; the rest of its batch was written); failed (the database could not be written; the events are lost); dropped (a writer\'s buffer was full).',
    labelNames: ['outcome'],
  }),

  buildInfo: define({
    type: 'gauge',
    name: 'tessera_build_info',
    help: 'Always 1; labels say which Tessera and Node.js versions run.',
    labelNames: ['version', 'node_version'],
  }),
} as const;

/**
 * Default Node.js process metrics (prom-client's collectDefaultMetrics, standard names, no prefix)
 * that the dashboard and rules use; event-loop lag comes from here.
 */
export const DEFAULT_PROCESS_METRICS = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds',
] as const;

// Label value sets: anything else becomes "other", so label cardinality stays bounded.
export const MCP_METHODS = ['initialize', 'ping', 'tools/list', 'tools/call', 'notifications', 'batch', 'http', 'other'] as const;
export type McpMethod = (typeof MCP_METHODS)[number];
export const MCP_TOOLS = ['search', 'fetch', 'none', 'other'] as const;
export type McpTool = (typeof MCP_TOOLS)[number];
/**
 * ok: answered; tool_error: a tool result with isError the model can act on (bad query, unknown id);
 * rejected: a guard or policy refused the query; unauthorized: 401; forbidden: 403 (origin, scope);
 * rate_limited: 429; invalid: other 4xx and JSON-RPC errors; error: the server failed (5xx, backend down).
 */
export const MCP_OUTCOMES = ['ok', 'tool_error', 'rejected', 'unauthorized', 'forbidden', 'rate_limited', 'invalid', 'error'] as const;
export type McpOutcome = (typeof MCP_OUTCOMES)[number];
/** The SearchBackend port's methods in snake_case; others (the port grows) are kept up to 24 distinct ops. */
/** The outcome of an MCP request answered with an HTTP status (before or instead of a JSON-RPC result). */
export function mcpOutcomeForStatus(status: number): McpOutcome {
  if (status < 400) return 'ok';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  return status < 500 ? 'invalid' : 'error';
}

/**
 * The workspace key for metrics labels and METRICS_WORKSPACE_LABELS=list:… entries: "tenant/workspace".
 * Only for a workspace that was resolved (never slugs from a URL that matched nothing).
 */
export function workspaceKey(workspace: { readonly tenantSlug: string; readonly workspaceSlug: string }): string {
  return `${workspace.tenantSlug}/${workspace.workspaceSlug}`;
}

export const BACKEND_OPS = ['search', 'get', 'upsert', 'delete', 'ping', 'create_workspace', 'drop_workspace', 'list_quarantined', 'release'] as const;
export type BackendOp = (typeof BACKEND_OPS)[number] | (string & {});
export type CallOutcome = 'ok' | 'error';
export const REBALANCE_OUTCOMES = ['moved', 'unchanged', 'busy', 'error'] as const;
export type RebalanceOutcome = (typeof REBALANCE_OUTCOMES)[number];
export type GuardAction = 'block' | 'strip' | 'flag';
export const INGEST_OUTCOMES = ['created', 'updated', 'unchanged', 'failed'] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];
export type BulkOutcome = 'success' | 'partial' | 'error';
export const AUDIT_OUTCOMES = ['written', 'rejected', 'failed', 'dropped'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const HTTP_GROUPS = ['mcp', 'oauth', 'api', 'well_known', 'docs', 'health', 'other'] as const;
export type HttpGroup = (typeof HTTP_GROUPS)[number];
export type OAuthRegistrationMethod = 'dcr' | 'metadata_document' | 'preregistered';
export type OAuthEndpoint = 'authorization' | 'token' | 'registration' | 'introspection' | 'revocation' | 'interaction' | 'server';
export const OAUTH_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'] as const;
/** RFC 6749/6750/7591/8707 and OpenID error codes; any other string is counted as "other". */
export const OAUTH_ERROR_CODES = [
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
  'access_denied', 'unsupported_response_type', 'server_error', 'temporarily_unavailable', 'invalid_target', 'invalid_token',
  'insufficient_scope', 'invalid_client_metadata', 'invalid_redirect_uri', 'invalid_software_statement', 'login_required',
  'consent_required', 'interaction_required', 'invalid_request_uri', 'invalid_request_object', 'request_not_supported',
  'registration_not_supported', 'invalid_dpop_proof', 'use_dpop_nonce', 'session_not_found', 'web_message_uri_mismatch',
] as const;

/** Every metric name the registry exposes besides the defaults, with the suffixes histograms add. */
export function tesseraMetricNames(): string[] {
  return Object.values(METRICS).flatMap((m: MetricDefinition) =>
    m.type === 'histogram' ? [m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name],
  );
}
