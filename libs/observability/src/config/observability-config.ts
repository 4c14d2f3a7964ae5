/**
 * Observability settings, read once from the environment. Only this folder reads process.env.
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | METRICS_PORT | 9464 (an ephemeral port when NODE_ENV=test) | the separate /metrics listener; 0 or off disables it |
 * | METRICS_HOST | 127.0.0.1 | where the metrics listener binds: loopback unless asked (the chart sets 0.0.0.0 for Prometheus in the cluster) |
 * | METRICS_WORKSPACE_LABELS | off | top:N (first N workspaces seen), list:a,b (only these) or off (label "all") |
 * | SHUTDOWN_GRACE_MS | 5000 | after SIGTERM: readiness answers 503 this long before the listener stops accepting |
 * | SHUTDOWN_DRAIN_TIMEOUT_MS | 10000 | then at most this long for in-flight requests before connections are cut |
 * | HEALTH_CHECK_TIMEOUT_MS | 2000 | each readiness check (database, search, Redis) fails after this long |
 * | REDIS_URL | unset | when set, readiness also pings Redis |
 * | LOG_FORMAT | pretty on a TTY outside production, else json | json or pretty |
 * | ACCESS_LOG | on | one info line per HTTP request (off: none) |
 * | TESSERA_VERSION | npm's package version, else "unknown" | the version label of tessera_build_info |
 */
export interface ObservabilityConfig {
  /**
   * null: no metrics listener. Port 0 picks a free port (tests). `explicit`: METRICS_PORT was set, so a
   * busy port is an error; the default port, when busy (a second local process), falls back to a free one.
   */
  readonly metrics: { readonly host: string; readonly port: number; readonly explicit: boolean } | null;
  readonly workspaceLabels: WorkspaceLabelMode;
  readonly shutdownGraceMs: number;
  readonly shutdownDrainTimeoutMs: number;
  readonly healthCheckTimeoutMs: number;
  readonly redisUrl?: string;
  readonly logFormat: 'json' | 'pretty';
  readonly accessLog: boolean;
  readonly version: string;
}

export type WorkspaceLabelMode =
  | { readonly kind: 'off' }
  | { readonly kind: 'top'; readonly limit: number }
  | { readonly kind: 'list'; readonly keys: readonly string[] };

export const DEFAULT_METRICS_PORT = 9464;
/** Above this, per-workspace series would dominate Prometheus' memory; use a list instead. */
export const MAX_WORKSPACE_LABELS = 200;

/** Names the variable, like the platform's ConfigError; libs/server turns it into one. */
export class ObservabilityConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface ObservabilityEnvironment {
  /** Whether stdout is a terminal (pretty logs by default). */
  readonly stdoutIsTty?: boolean;
}

export function loadObservabilityConfig(env: NodeJS.ProcessEnv, runtime: ObservabilityEnvironment = {}): ObservabilityConfig {
  const production = env.NODE_ENV === 'production';
  return {
    metrics: parseMetricsListener(env),
    workspaceLabels: parseWorkspaceLabels(env.METRICS_WORKSPACE_LABELS),
    shutdownGraceMs: parseMillis('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 5_000),
    shutdownDrainTimeoutMs: parseMillis('SHUTDOWN_DRAIN_TIMEOUT_MS', env.SHUTDOWN_DRAIN_TIMEOUT_MS, 10_000),
    healthCheckTimeoutMs: parseMillis('HEALTH_CHECK_TIMEOUT_MS', env.HEALTH_CHECK_TIMEOUT_MS, 2_000, 1),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    logFormat: parseLogFormat(env.LOG_FORMAT, Boolean(runtime.stdoutIsTty ?? process.stdout.isTTY) && !production),
    accessLog: parseSwitch('ACCESS_LOG', env.ACCESS_LOG, true),
    version: (env.TESSERA_VERSION || env.npm_package_version || 'unknown').slice(0, 40),
  };
}

function parseMetricsListener(env: NodeJS.ProcessEnv): ObservabilityConfig['metrics'] {
  // Loopback by default: /metrics names workspaces and volumes, not for every network the host is on.
  const host = env.METRICS_HOST?.trim() || '127.0.0.1';
  const raw = env.METRICS_PORT?.trim().toLowerCase();
  if (raw === undefined || raw === '') {
    // Test processes start many apps at once: a fixed default port would collide.
    return { host, port: env.NODE_ENV === 'test' ? 0 : DEFAULT_METRICS_PORT, explicit: false };
  }
  if (raw === 'off' || raw === 'false' || raw === '0') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ObservabilityConfigError('METRICS_PORT', `must be 1–65535, 0 or off, got "${env.METRICS_PORT}"`);
  }
  return { host, port, explicit: true };
}

export function parseWorkspaceLabels(value: string | undefined): WorkspaceLabelMode {
  const raw = value?.trim() ?? '';
  if (raw === '' || raw === 'off') return { kind: 'off' };
  const top = /^top:(\d+)$/.exec(raw);
  if (top) {
    const limit = Number(top[1]);
    if (limit < 1 || limit > MAX_WORKSPACE_LABELS) {
      throw new ObservabilityConfigError('METRICS_WORKSPACE_LABELS', `top:N needs 1 ≤ N ≤ ${MAX_WORKSPACE_LABELS}, got ${top[1]}`);
    }
    return { kind: 'top', limit };
  }
  if (raw.startsWith('list:')) {
    const keys = [...new Set(raw.slice(5).split(',').map((k) => k.trim()).filter(Boolean))];
    if (keys.length === 0 || keys.length > MAX_WORKSPACE_LABELS) {
      throw new ObservabilityConfigError('METRICS_WORKSPACE_LABELS', `list: needs 1–${MAX_WORKSPACE_LABELS} comma-separated workspaces`);
    }
    const bad = keys.find((k) => !WORKSPACE_LABEL_VALUE.test(k));
    if (bad) throw new ObservabilityConfigError('METRICS_WORKSPACE_LABELS', `has "${bad.slice(0, 60)}", not a workspace id or tenant/workspace slug`);
    return { kind: 'list', keys };
  }
  throw new ObservabilityConfigError('METRICS_WORKSPACE_LABELS', `must be top:N, list:a,b or off, got "${raw.slice(0, 60)}"`);
}

/** A workspace id (uuid) or "tenant/workspace" slugs: nothing else may become a label value. */
export const WORKSPACE_LABEL_VALUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,62})?$/;

function parseMillis(variable: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || value.trim() === '') return fallback;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < min || ms > 600_000) throw new ObservabilityConfigError(variable, `must be ${min}–600000 milliseconds, got "${value}"`);
  return ms;
}

function parseRedisUrl(value: string | undefined): string | undefined {
  const url = value?.trim();
  if (!url) return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new ObservabilityConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return url;
}

function parseLogFormat(value: string | undefined, prettyByDefault: boolean): 'json' | 'pretty' {
  const raw = value?.trim().toLowerCase();
  if (!raw) return prettyByDefault ? 'pretty' : 'json';
  if (raw === 'json' || raw === 'pretty') return raw;
  throw new ObservabilityConfigError('LOG_FORMAT', `must be json or pretty, got "${value}"`);
}

function parseSwitch(variable: string, value: string | undefined, fallback: boolean): boolean {
  const raw = value?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ObservabilityConfigError(variable, `must be on or off, got "${value}"`);
}
