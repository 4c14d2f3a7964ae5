import { type ArgumentsHost, Catch, Controller, type ExceptionFilter, Get, Logger, ServiceUnavailableException, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { TesseraHealthIndicators } from './health-indicators';

/**
 * Terminus answers 503 with its own report; keep that body rather than the API's `{code, message}`, and
 * log which checks failed (a warning; nothing while the only "failure" is a planned shutdown).
 */
@Catch(ServiceUnavailableException)
export class HealthReportFilter implements ExceptionFilter {
  private readonly logger = new Logger('Health');

  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const report = exception.getResponse();
    const failed = Object.keys((report as { error?: Record<string, unknown> }).error ?? {});
    if (failed.some((check) => check !== 'accepting')) {
      this.logger.warn({ failed, details: (report as { error?: unknown }).error }, 'not ready');
    }
    response.status(503).setHeader('cache-control', 'no-store');
    response.json(report);
  }
}

/**
 * /healthz: liveness (the process answers). /readyz: readiness: only what this app cannot serve without (not
 * shutting down, the database, and the search backend where the app has one); a configured Redis is reported
 * but cannot fail it (see the indicator).
 * Terminus' shape: `{status, info, error, details}`.
 */
@ApiExcludeController()
@Controller()
@UseFilters(HealthReportFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: TesseraHealthIndicators,
  ) {}

  @Get('healthz')
  @HealthCheck({ swaggerDocumentation: false })
  live() {
    return this.health.check([() => this.indicators.process()]);
  }

  @Get('readyz')
  @HealthCheck({ swaggerDocumentation: false })
  ready() {
    const i = this.indicators;
    return this.health.check([
      () => i.accepting(),
      () => i.database(),
      ...(i.searchConfigured ? [() => i.searchBackend()] : []),
      ...(i.redisConfigured ? [() => i.redis()] : []),
    ]);
  }
}
