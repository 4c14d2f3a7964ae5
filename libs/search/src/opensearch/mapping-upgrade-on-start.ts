import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { OpenSearchBackendOptions } from './opensearch-client';
import { OpenSearchSearchBackend } from './opensearch-search.backend';
import type { IndexUpgradeReport } from './mapping-upgrade';

/** One log line per index: names and counts only, never a document. */
export function describeUpgrade(report: IndexUpgradeReport): string {
  const { index, from, to, outcome, updated, conflicts } = report;
  switch (outcome) {
    case 'upgraded':
      return `${index}: mapping v${from} → v${to} in place, ${updated} documents re-indexed, ${conflicts} skipped as written meanwhile`;
    case 'current':
      return `${index}: mapping v${from}, nothing to do`;
    case 'busy':
      return `${index}: another process is upgrading it`;
    case 'failed':
      return `${index}: mapping upgrade v${from} → v${to} failed (${report.reason ?? 'unknown error'}); the next start tries again`;
    case 'reindex_needed':
      return `${index}: mapping v${from} → v${to} is not additive; run reindexWorkspace for its workspaces`;
  }
}

/**
 * The tenant API (the component that manages indices) upgrades the mappings of existing indices when it
 * starts, in the background: readiness never waits for it, and a failure is logged, never fatal (the
 * next start, or `npm run search:upgrade`, tries again). Replicas starting together share the work
 * through each index's lease. Shutdown stops it at its next poll and releases the lease.
 */
export class MappingUpgradeOnStart implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OpenSearchMappingUpgrade');
  private readonly stop = new AbortController();
  private running: Promise<IndexUpgradeReport[]> | undefined;

  constructor(private readonly options: OpenSearchBackendOptions) {}

  onApplicationBootstrap(): void {
    this.running = this.run();
  }

  /** The reports of the run started at boot (tests, and shutdown, wait for it). */
  finished(): Promise<IndexUpgradeReport[]> {
    return this.running ?? Promise.resolve([]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.finished();
  }

  private async run(): Promise<IndexUpgradeReport[]> {
    const backend = new OpenSearchSearchBackend({ ...this.options, autoRebalance: false, signal: this.stop.signal });
    try {
      const reports = await backend.upgradeIndexMappings((report) => {
        if (report.outcome === 'failed') this.logger.warn(describeUpgrade(report));
        else if (report.outcome !== 'current') this.logger.log(describeUpgrade(report));
      });
      const upgraded = reports.filter((report) => report.outcome === 'upgraded').length;
      this.logger.log(`mapping upgrade: ${reports.length} indices checked, ${upgraded} upgraded in place`);
      return reports;
    } catch (error) {
      // OpenSearchUnavailableError and the upgrader's own errors carry no document or query.
      this.logger.warn(`mapping upgrade stopped: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
      return [];
    } finally {
      await backend.onApplicationShutdown().catch(() => undefined);
    }
  }
}
