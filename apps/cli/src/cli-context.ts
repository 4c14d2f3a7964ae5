import { ApiClient, type RetryOptions } from './api-client';
import { UsageError } from './usage-error';

/** Where the CLI writes. Injected so tests can capture output without touching process streams. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Set only when stderr is an interactive terminal; enables the progress bar. */
  progressStream?: NodeJS.WriteStream;
}

/** Everything a command needs from the outside world. */
export interface CliContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  /** Tests shorten backoff delays here instead of sleeping for real. */
  retry: Partial<RetryOptions>;
  fetch?: typeof fetch;
  /** How often non-TTY progress lines are printed during ingest. */
  progressIntervalMs: number;
}

/** Options defined on the root program and visible to every subcommand. */
export interface GlobalOptions {
  apiUrl?: string;
}

export const DEFAULT_API_URL = 'http://localhost:8080';

export function resolveApiUrl(global: GlobalOptions, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.TESSERA_API_URL?.trim();
  const apiUrl = global.apiUrl ?? (fromEnv ? fromEnv : DEFAULT_API_URL);
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new UsageError(`invalid API URL "${apiUrl}" (from ${global.apiUrl ? '--api-url' : 'TESSERA_API_URL'})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`the API URL must start with http:// or https:// (got "${apiUrl}")`);
  }
  return apiUrl;
}

/**
 * The token comes only from the environment: a command-line flag would land
 * in shell history and process listings.
 */
export function resolveToken(env: NodeJS.ProcessEnv): string {
  const token = env.TESSERA_TOKEN?.trim() || env.TESSERA_ADMIN_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      'no API token: set TESSERA_TOKEN to a tenant API key (or the platform admin token), ' +
        'or set TESSERA_ADMIN_TOKEN',
    );
  }
  return token;
}

export function createApiClient(context: CliContext, global: GlobalOptions): ApiClient {
  return new ApiClient({
    baseUrl: resolveApiUrl(global, context.env),
    token: resolveToken(context.env),
    fetch: context.fetch,
  });
}

/** Tenant and workspace identifiers become path segments; never let them add segments. */
export function tenantPath(tenant: string): string {
  return `/v1/tenants/${encodeURIComponent(tenant)}`;
}

export function workspacePath(tenant: string, workspace: string): string {
  return `${tenantPath(tenant)}/workspaces/${encodeURIComponent(workspace)}`;
}
