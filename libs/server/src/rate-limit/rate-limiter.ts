/**
 * Fixed-window rate limiting, shared across replicas through Redis when REDIS_URL is set and kept in
 * process otherwise (the embedded default). Keys name what is limited (a workspace, a principal, a
 * client, an address); callers pick the limit.
 */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Seconds until the window resets, for Retry-After. */
  readonly retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts `cost` units (default 1). An in-process limiter decides at once; a shared one answers with a promise. */
  hit(key: string, limit: number, windowMs: number, cost?: number): RateLimitDecision | Promise<RateLimitDecision>;
  close(): Promise<void>;
}

export const RATE_LIMITER = Symbol('RATE_LIMITER');

export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  hit(key: string, limit: number, windowMs: number, cost = 1, now = Date.now()): RateLimitDecision {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= this.maxKeys) this.evictExpired(now);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += cost;
    return { allowed: window.count <= limit, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private evictExpired(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}
