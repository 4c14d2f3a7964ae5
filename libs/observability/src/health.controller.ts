import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { SEARCH_BACKEND, type SearchBackend } from '@tessera/search';

/** Liveness says the process can serve; readiness says its dependencies answer too. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SEARCH_BACKEND) private readonly search: SearchBackend,
  ) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const checks: Record<string, 'up' | 'down'> = {};
    await Promise.all([
      this.dataSource.query('SELECT 1').then(() => (checks.database = 'up'), () => (checks.database = 'down')),
      this.search.ping().then(() => (checks.search = 'up'), () => (checks.search = 'down')),
    ]);
    if (Object.values(checks).includes('down')) {
      throw new ServiceUnavailableException({ code: 'unavailable', message: `not ready: ${JSON.stringify(checks)}` });
    }
    return { status: 'ok', checks: checks as Record<string, 'up'> };
  }
}
