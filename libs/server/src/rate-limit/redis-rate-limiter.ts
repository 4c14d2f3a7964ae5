import Redis from 'ioredis';
import { InMemoryRateLimiter, type RateLimitDecision, type RateLimiter } from './rate-limiter';

// One round trip, atomic: count the hit and start the window's clock on the first one.
const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }`;

/**
 * Shared across replicas. If Redis cannot answer within the timeout the request is allowed (fail open):
 * a limiter outage must not take the connector down; the error is reported through `onError`.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly onError: (error: unknown) => void,
    private readonly timeoutMs = 250,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: timeoutMs });
    this.redis.on('error', onError);
    this.redis.defineCommand('tesseraHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  async hit(key: string, limit: number, windowMs: number, cost = 1): Promise<RateLimitDecision> {
    try {
      const [count, ttl] = (await (this.redis as unknown as { tesseraHit(k: string, w: number, c: number): Promise<[number, number]> }).tesseraHit(
        `tessera:rl:${key}`,
        windowMs,
        cost,
      )) as [number, number];
      return { allowed: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch (error) {
      this.onError(error);
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** Nest calls this on shutdown: the open connection would otherwise keep the process alive. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

export function createRateLimiter(redisUrl: string | undefined, onError: (error: unknown) => void): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl, onError) : new InMemoryRateLimiter();
}
