import { Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { OBSERVABILITY_CONFIG } from '../config/observability-config.provider';
import type { ObservabilityConfig } from '../config/observability-config';

export const REDIS_HEALTH_CLIENT = Symbol('REDIS_HEALTH_CLIENT');

/** What the readiness check needs from Redis. */
export interface RedisPinger {
  ping(): Promise<unknown>;
}

/** A small dedicated connection for readiness pings, only when REDIS_URL is set. */
class RedisHealthClient implements RedisPinger, OnApplicationShutdown {
  private readonly logger = new Logger('RedisHealth');
  private readonly client: Redis;
  private lastErrorLogged = 0;

  constructor(url: string, timeoutMs: number) {
    this.client = new Redis(url, {
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
      connectionName: 'tessera-health',
    });
    this.client.on('error', (error: Error) => {
      // ioredis reports every reconnect attempt; say it at most once a minute.
      if (Date.now() - this.lastErrorLogged < 60_000) return;
      this.lastErrorLogged = Date.now();
      this.logger.warn({ err: { message: error.message } }, 'Redis is unreachable');
    });
  }

  ping(): Promise<unknown> {
    return this.client.ping();
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}

export const redisHealthClientProvider: Provider = {
  provide: REDIS_HEALTH_CLIENT,
  inject: [OBSERVABILITY_CONFIG],
  useFactory: (config: ObservabilityConfig) => (config.redisUrl ? new RedisHealthClient(config.redisUrl, config.healthCheckTimeoutMs) : undefined),
};
