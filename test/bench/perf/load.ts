/**
 * Load generation with autocannon, from this process (never the server's): a scenario is a rotating
 * list of JSON-RPC bodies POSTed to one URL over N keep-alive connections for a bounded time.
 */

import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  /** One body per request, taken in turn across all connections. */
  readonly bodies: readonly string[] | ((n: number) => string);
  readonly headers: Record<string, string> | ((n: number) => Record<string, string>);
  readonly connections: number;
  readonly durationSeconds: number;
  /** Fixed request rate over all connections (soak); unbounded when absent. */
  readonly overallRate?: number;
  /** Stop after this many requests instead of after durationSeconds. */
  readonly amount?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly bytesPerSecond: number;
  readonly durationSeconds: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  let n = 0;
  const bodyAt = typeof options.bodies === 'function' ? options.bodies : (i: number) => (options.bodies as string[])[i % options.bodies.length]!;
  const headersAt = typeof options.headers === 'function' ? options.headers : () => options.headers as Record<string, string>;
  const started = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: url.origin,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.durationSeconds }),
        timeout: 10,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: url.pathname + url.search,
            setupRequest: (request) => {
              const i = n++;
              return { ...request, headers: headersAt(i), body: bodyAt(i) };
            },
          },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const completed = result['2xx'] + result.non2xx;
  return {
    requests: completed,
    requestsPerSecond: completed / Math.max(result.duration || elapsed, 1e-9),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    bytesPerSecond: result.throughput.mean,
    durationSeconds: result.duration || elapsed,
  };
}

/** Ids must differ per request in JSON-RPC; a counter keeps bodies distinct without randomness. */
export function jsonRpc(id: number, method: string, params?: Record<string, unknown>): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
}

/** Headers an MCP client sends after initialization (the SDK client's). */
export function mcpHeaders(token?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-06-18',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}
