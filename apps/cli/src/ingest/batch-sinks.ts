import { ApiError, isTransientError, withRetry, type ApiClient, type RetryOptions } from '../api-client';
import type { CliIo } from '../cli-context';
import { describeError } from '../report-error';
import { splitBatch, toNdjson, type Batch, type BatchEntry } from './batching';
import { interpretBulkResponse } from './bulk-response';
import type { IngestTally } from './ingest-tally';
import type { ProgressReporter } from './progress';

/** Where closed batches go: the API, or the terminal for --dry-run. */
export interface BatchSink {
  /** Resolves once the batch is accepted for sending (may wait for a free slot). */
  submit(batch: Batch): Promise<void>;
  /** Resolves when every submitted batch has finished. */
  drain(): Promise<void>;
  /** Set when continuing is pointless (bad token, unknown tenant/workspace). */
  readonly fatalError: unknown;
}

export interface UploaderOptions {
  client: ApiClient;
  bulkPath: string;
  concurrency: number;
  retry: Partial<RetryOptions>;
  tally: IngestTally;
  progress: ProgressReporter;
}

/**
 * Every batch will fail the same way for these, so the run stops instead of
 * sending the rest of the corpus into a wall.
 */
function isFatal(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404);
}

export function entryLabel(entry: BatchEntry): string {
  return `${entry.source} (${entry.document.id})`;
}

/** Sends batches with bounded concurrency; reading waits while all slots are busy. */
export class BatchUploader implements BatchSink {
  fatalError: unknown = undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private batchCount = 0;

  constructor(private readonly options: UploaderOptions) {}

  async submit(batch: Batch): Promise<void> {
    while (this.inFlight.size >= this.options.concurrency) {
      await Promise.race(this.inFlight);
    }
    // A batch that was waiting for a slot must not go out after a fatal error.
    if (this.fatalError !== undefined) return;
    const { tally } = this.options;
    tally.batchesSent++;
    tally.documentsSent += batch.entries.length;
    const task: Promise<void> = this.send(batch, `batch ${++this.batchCount}`).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.all(this.inFlight);
    }
  }

  private async send(batch: Batch, label: string): Promise<void> {
    const { client, bulkPath, tally, progress } = this.options;
    try {
      // Upserts are idempotent, so the whole batch can be resent after any transient failure.
      const response = await withRetry(() => client.postNdjson<unknown>(bulkPath, toNdjson(batch)), {
        ...this.options.retry,
        shouldRetry: isTransientError,
        onRetry: (event) =>
          progress.log(
            `${label}: ${describeError(event.error)}; retrying in ${(event.delayMs / 1000).toFixed(1)}s ` +
              `(attempt ${event.attempt + 1} of ${event.maxAttempts})`,
          ),
      });
      const outcome = interpretBulkResponse(batch, response);
      tally.created += outcome.counts.created;
      tally.updated += outcome.counts.updated;
      tally.unchanged += outcome.counts.unchanged;
      for (const failure of outcome.failures) tally.recordFailure(entryLabel(failure.entry), failure.message);
    } catch (error) {
      if (error instanceof ApiError && error.status === 413 && batch.entries.length > 1) {
        // The server's size limit is lower than we assumed: halve until it fits.
        progress.log(`${label}: request too large, splitting ${batch.entries.length} documents in two`);
        const [first, second] = splitBatch(batch);
        await this.send(first, `${label}a`);
        await this.send(second, `${label}b`);
        return;
      }
      if (isFatal(error) && this.fatalError === undefined) this.fatalError = error;
      const reason = `not ingested: ${describeError(error)}`;
      for (const entry of batch.entries) tally.recordFailure(entryLabel(entry), reason);
    }
    progress.update(tally);
  }
}

/** --dry-run: list what would be sent, batch by batch, without any request. */
export class DryRunSink implements BatchSink {
  readonly fatalError: unknown = undefined;

  constructor(
    private readonly io: CliIo,
    private readonly tally: IngestTally,
  ) {}

  async submit(batch: Batch): Promise<void> {
    this.tally.batchesSent++;
    this.tally.documentsSent += batch.entries.length;
    this.io.stdout(`batch ${this.tally.batchesSent} (${batch.entries.length} documents, ${formatBytes(batch.bytes)}):\n`);
    for (const entry of batch.entries) {
      this.io.stdout(`  ${entry.document.id}  "${entry.document.title}"  <- ${entry.source}\n`);
    }
  }

  async drain(): Promise<void> {
    // Nothing in flight.
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
