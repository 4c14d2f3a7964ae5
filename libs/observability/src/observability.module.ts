import { type DynamicModule, Global, Injectable, Module, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { OBSERVABILITY_CONFIG, observabilityConfigProvider } from './config/observability-config.provider';
import type { ObservabilityConfig } from './config/observability-config';
import { HealthController } from './health/health.controller';
import { TesseraHealthIndicators } from './health/health-indicators';
import { ReadinessState } from './health/readiness-state';
import { redisHealthClientProvider } from './health/redis-health-client';
import { instrumentSearchBackend, SEARCH_BACKEND_DECORATOR, type SearchBackendDecorator } from './metrics/instrument-search-backend';
import type { AuditOutcome } from './metrics/metric-definitions';
import { pgPoolOf } from './metrics/pg-pool';
import { sharedMetrics, TesseraMetrics } from './metrics/tessera-metrics';

/** The token @tessera/persistence's AuditRepository injects (the same Symbol.for there). */
export const AUDIT_WRITE_OBSERVER = Symbol.for('tessera.audit-write-observer');

/** Reports the app's database pool (the TypeORM DataSource's pg Pool) as tessera_db_pool_* gauges. */
@Injectable()
class DatabasePoolMetrics implements OnModuleInit, OnModuleDestroy {
  private stop?: () => void;

  constructor(
    private readonly metrics: TesseraMetrics,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  onModuleInit(): void {
    const pool = pgPoolOf(this.dataSource);
    if (pool) this.stop = this.metrics.observePool('main', pool);
  }

  onModuleDestroy(): void {
    this.stop?.();
  }
}

function metricsProvider() {
  return {
    provide: TesseraMetrics,
    inject: [OBSERVABILITY_CONFIG],
    useFactory: (config: ObservabilityConfig) => sharedMetrics({ workspaceLabels: config.workspaceLabels, version: config.version }),
  };
}

function metadataFor(config?: ObservabilityConfig) {
  return {
    // Failures are logged by HealthReportFilter (structured, and quiet during a planned drain).
    imports: [TerminusModule.forRoot({ logger: false })],
    controllers: [HealthController],
    providers: [
      observabilityConfigProvider(config),
      metricsProvider(),
      ReadinessState,
      TesseraHealthIndicators,
      redisHealthClientProvider,
      DatabasePoolMetrics,
      {
        // Shared with @tessera/persistence by Symbol.for: AuditRepository counts what became of each event here.
        provide: AUDIT_WRITE_OBSERVER,
        inject: [TesseraMetrics],
        useFactory: (metrics: TesseraMetrics) => (outcome: AuditOutcome, count: number) => metrics.auditEvents(outcome, count),
      },
      {
        provide: SEARCH_BACKEND_DECORATOR,
        inject: [TesseraMetrics],
        useFactory: (metrics: TesseraMetrics): SearchBackendDecorator => (backend) => instrumentSearchBackend(backend, metrics),
      },
    ],
    exports: [OBSERVABILITY_CONFIG, TesseraMetrics, ReadinessState, SEARCH_BACKEND_DECORATOR, AUDIT_WRITE_OBSERVER],
  };
}

/**
 * Health (/healthz, /readyz with terminus), the process's TesseraMetrics and the app's ReadinessState.
 * Global: any provider can inject TesseraMetrics. Import it as is (configuration from the environment)
 * or with forConfig(loadObservabilityConfig(env)).
 */
@Global()
@Module(metadataFor())
export class ObservabilityModule {
  static forConfig(config: ObservabilityConfig): DynamicModule {
    return { module: ObservabilityModule, ...metadataFor(config) };
  }
}

/** The name every app's main already imports. */
export { ObservabilityModule as HealthModule };