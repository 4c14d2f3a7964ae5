import { Inject, Injectable, Optional } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SEARCH_BACKEND, type SearchBackend } from '@tessera/search';
import { DataSource } from 'typeorm';
import { OBSERVABILITY_CONFIG } from '../config/observability-config.provider';
import type { ObservabilityConfig } from '../config/observability-config';
import { REDIS_HEALTH_CLIENT, type RedisPinger } from './redis-health-client';
import { ReadinessState } from './readiness-state';

/**
 * Terminus indicators for /readyz. Each one answers up or down within HEALTH_CHECK_TIMEOUT_MS and never
 * throws; `down` carries a short reason, never a connection string.
 */
@Injectable()
export class TesseraHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly readiness: ReadinessState,
    @Inject(OBSERVABILITY_CONFIG) private readonly config: ObservabilityConfig,
    @Optional() private readonly dataSource?: DataSource,
    @Optional() @Inject(SEARCH_BACKEND) private readonly search?: SearchBackend,
    @Optional() @Inject(REDIS_HEALTH_CLIENT) private readonly redisClient?: RedisPinger,
  ) {}

  /** Liveness: the event loop runs and answers. Nothing external, so a database outage never restarts pods. */
  process(): HealthIndicatorResult<'process'> {
    return this.health.check('process').up({ uptimeSeconds: Math.round(process.uptime()) });
  }

  /** Down from SIGTERM on, so traffic drains before the listener closes. */
  accepting(): HealthIndicatorResult<'accepting'> {
    const check = this.health.check('accepting');
    return this.readiness.draining ? check.down({ message: 'shutting down' }) : check.up();
  }

  async database(): Promise<HealthIndicatorResult<'database'>> {
    const check = this.health.check('database');
    if (!this.dataSource) return check.down({ message: 'no database configured' });
    const dataSource = this.dataSource;
    return this.probe(() => dataSource.query('SELECT 1')).then(
      () => check.up(),
      (error: unknown) => check.down({ message: reason(error) }),
    );
  }

  async searchBackend(): Promise<HealthIndicatorResult<'search'>> {
    const check = this.health.check('search');
    if (!this.search) return check.down({ message: 'no search backend configured' });
    const search = this.search;
    return this.probe(() => search.ping()).then(
      () => check.up({ backend: search.name }),
      (error: unknown) => check.down({ backend: search.name, message: reason(error) }),
    );
  }

  /** The gateway and tenant-api serve from a search backend; auth has none and does not wait for one. */
  get searchConfigured(): boolean {
    return this.search !== undefined;
  }

  get redisConfigured(): boolean {
    return this.redisClient !== undefined;
  }

  /**
   * Reported, never failing readiness: Redis only shares rate-limit counters between replicas, and the limiter
   * fails open without it, so every pod can still serve. Failing readiness would take all pods out at once on a
   * Redis blip; the report says `reachable: false` instead.
   */
  async redis(): Promise<HealthIndicatorResult<'redis'>> {
    const check = this.health.check('redis');
    if (!this.redisClient) return check.up({ message: 'not configured' });
    const client = this.redisClient;
    return this.probe(() => client.ping()).then(
      () => check.up({ reachable: true }),
      (error: unknown) => check.up({ reachable: false, message: `degraded: ${reason(error)}; rate limits are not shared meanwhile` }),
    );
  }

  private probe<T>(work: () => Promise<T>): Promise<T> {
    const ms = this.config.healthCheckTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    return Promise.race([Promise.resolve().then(work), timeout]).finally(() => clearTimeout(timer));
  }
}

/** A short reason for a failed check: the error's first line, without URLs or credentials. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').slice(0, 200);
}
