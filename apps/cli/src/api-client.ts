/**
 * The CLI's only way to talk to Tessera: a small fetch wrapper that adds the
 * base URL and bearer token, turns `{code, message}` error bodies into
 * ApiError, and offers withRetry() for transient failures.
 */

/** An HTTP error response from the API (or a response the CLI could not understand). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** From a Retry-After header, when the server sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The request never produced an HTTP response (DNS, refused connection, reset, timeout). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(
    message: string,
    /** Node's system error code (e.g. ECONNREFUSED) when known. */
    readonly systemCode?: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Per attempt; a hung connection must not stall an ingest forever. */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  postJson<T>(path: string, body: unknown): Promise<T> {
    return this.post<T>(path, JSON.stringify(body), 'application/json');
  }

  postNdjson<T>(path: string, ndjson: string): Promise<T> {
    return this.post<T>(path, ndjson, 'application/x-ndjson');
  }

  private async post<T>(path: string, body: string, contentType: string): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          // The token goes only into this header; it never appears in messages.
          authorization: `Bearer ${this.options.token}`,
          'content-type': contentType,
          accept: 'application/json',
          'user-agent': 'tessera-cli',
        },
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      throw toNetworkError(error, this.baseUrl);
    }
    const text = await readBody(response, this.baseUrl);
    if (!response.ok) {
      throw toApiError(response, text);
    }
    if (text.trim() === '') {
      return undefined as T;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'invalid_response', 'the server returned a response that is not JSON');
    }
  }
}

async function readBody(response: Response, baseUrl: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw toNetworkError(error, baseUrl);
  }
}

function toApiError(response: Response, text: string): ApiError {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const body = tryParseErrorBody(text);
  if (body) {
    return new ApiError(response.status, body.code, body.message, retryAfterMs);
  }
  // Proxies and load balancers answer with HTML or plain text; keep a short hint.
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  const message = response.statusText || snippet || 'request failed';
  return new ApiError(response.status, `http_${response.status}`, message, retryAfterMs);
}

function tryParseErrorBody(text: string): { code: string; message: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const { code, message } = parsed as Record<string, unknown>;
      if (typeof message === 'string') {
        return { code: typeof code === 'string' ? code : 'error', message };
      }
    }
  } catch {
    // Not JSON; the caller falls back to the status line.
  }
  return undefined;
}

function toNetworkError(error: unknown, baseUrl: string): NetworkError {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new NetworkError(`request to ${baseUrl} timed out`, 'ETIMEDOUT');
  }
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new NetworkError(`could not reach ${baseUrl} (${detail})`, cause?.code);
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);

/** Safe to retry when the request itself is idempotent (e.g. a bulk upsert). */
export function isTransientError(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  return error instanceof ApiError && TRANSIENT_STATUSES.has(error.status);
}

/**
 * Safe to retry even for a create call: the server certainly did not act on
 * the request. A 502/504 or a reset connection may hide a create that
 * succeeded, so a retry could produce a confusing "already exists".
 */
export function isRejectedBeforeProcessing(error: unknown): boolean {
  if (error instanceof NetworkError) return error.systemCode === 'ECONNREFUSED';
  return error instanceof ApiError && (error.status === 429 || error.status === 503);
}

export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  /** Total attempts including the first one. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for a server-requested Retry-After, so a bad header cannot hang the CLI. */
  maxRetryAfterMs: number;
  shouldRetry: (error: unknown) => boolean;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry?: (event: RetryEvent) => void;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
  shouldRetry: isTransientError,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed,
 * half random, so concurrent clients spread out but never retry instantly.
 * A Retry-After from the server is a floor.
 */
export function backoffDelayMs(attempt: number, options: RetryOptions, error: unknown): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + options.random() * (exponential / 2);
  const retryAfter = error instanceof ApiError ? error.retryAfterMs : undefined;
  if (retryAfter === undefined) return Math.round(jittered);
  return Math.round(Math.max(jittered, Math.min(retryAfter, options.maxRetryAfterMs)));
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  overrides: Partial<RetryOptions> = {},
): Promise<T> {
  const options: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...overrides };
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= options.maxAttempts || !options.shouldRetry(error)) throw error;
      const delayMs = backoffDelayMs(attempt, options, error);
      options.onRetry?.({ attempt, maxAttempts: options.maxAttempts, delayMs, error });
      await options.sleep(delayMs);
    }
  }
}
