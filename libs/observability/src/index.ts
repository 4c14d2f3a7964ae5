// Configuration
export {
  loadObservabilityConfig,
  parseWorkspaceLabels,
  ObservabilityConfigError,
  DEFAULT_METRICS_PORT,
  type ObservabilityConfig,
  type WorkspaceLabelMode,
} from './config/observability-config';
export { OBSERVABILITY_CONFIG } from './config/observability-config.provider';

// Nest module: health (terminus), metrics facade, readiness
export { ObservabilityModule, HealthModule } from './observability.module';
export { ReadinessState } from './health/readiness-state';
export { TesseraHealthIndicators } from './health/health-indicators';

// Metrics
export { TesseraMetrics, sharedMetrics, type OAuthEvent, type TesseraMetricsOptions } from './metrics/tessera-metrics';
export {
  METRICS,
  BUCKETS,
  DEFAULT_PROCESS_METRICS,
  tesseraMetricNames,
  mcpOutcomeForStatus,
  workspaceKey,
  type MetricDefinition,
  type McpMethod,
  type McpTool,
  type McpOutcome,
  type BackendOp,
  type CallOutcome,
  type GuardAction,
  type IngestOutcome,
  type BulkOutcome,
  type HttpGroup,
  type OAuthEndpoint,
  type OAuthRegistrationMethod,
} from './metrics/metric-definitions';
export { WorkspaceLabeler } from './metrics/workspace-labeler';
export { pgPoolOf, type PgPoolLike } from './metrics/pg-pool';
export { type SearchCacheStatsLike } from './metrics/search-cache';
export { instrumentSearchBackend, SEARCH_BACKEND_DECORATOR, type SearchBackendDecorator } from './metrics/instrument-search-backend';
export { instrumentOidcProvider, type OidcEventSource } from './metrics/instrument-oidc-provider';
export { startMetricsServer, type MetricsServer } from './metrics/metrics-server';

// Logging
export { createLogger, configureLogging, rootLogger, logLevelOf, type Logger, type LogDestination, type LoggingOptions, type LogLevelName } from './logging/logger';
export { PinoNestLogger } from './logging/pino-nest-logger';
export { redact, REDACTED, SENSITIVE_KEYS } from './logging/redaction';
export {
  annotateRequest,
  currentRequestId,
  currentRequestContext,
  requestIdFrom,
  runWithRequestContext,
  REQUEST_ID_HEADER,
  type RequestContext,
} from './logging/request-context';

// Tracing (OpenTelemetry, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set)
export { startTracing, tracer, tracingEnabled, startSpan, withSpan, inSpan, SpanKind, type TracingHandle } from './tracing/tracing';
