import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { CliIo } from '../cli-context';
import type { IngestTally } from './ingest-tally';

/**
 * Ingest progress on stderr (stdout stays clean for the summary): a live bar
 * on an interactive terminal, otherwise a plain line at most every interval,
 * which reads well in CI logs.
 */
export interface ProgressReporter {
  update(tally: IngestTally): void;
  /** A notice such as a retry; must not garble the bar. */
  log(message: string): void;
  stop(): void;
}

export function createProgressReporter(io: CliIo, intervalMs: number, totalFiles: number): ProgressReporter {
  return io.progressStream
    ? new TerminalProgress(io.progressStream, totalFiles)
    : new PlainProgress(io, intervalMs, totalFiles);
}

export function progressSummary(tally: IngestTally): string {
  return (
    `${tally.documentsSent} documents sent: ${tally.created} created, ${tally.updated} updated, ` +
    `${tally.unchanged} unchanged, ${tally.failed} failed`
  );
}

class TerminalProgress implements ProgressReporter {
  private readonly bars: MultiBar;
  private readonly bar: SingleBar;

  constructor(stream: NodeJS.WriteStream, totalFiles: number) {
    this.bars = new MultiBar(
      {
        stream,
        // Short enough for an 80-column terminal; cli-progress truncates longer lines.
        format: 'ingest {bar} {value}/{total} files | {status}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
      },
      Presets.shades_classic,
    );
    this.bar = this.bars.create(totalFiles, 0, { status: '0 docs sent, 0 failed' });
  }

  update(tally: IngestTally): void {
    this.bar.update(tally.filesProcessed, { status: `${tally.documentsSent} docs sent, ${tally.failed} failed` });
  }

  log(message: string): void {
    this.bars.log(`${message}\n`);
  }

  stop(): void {
    this.bars.stop();
  }
}

class PlainProgress implements ProgressReporter {
  private lastPrintedAt = 0;

  constructor(
    private readonly io: CliIo,
    private readonly intervalMs: number,
    private readonly totalFiles: number,
  ) {}

  update(tally: IngestTally): void {
    const now = Date.now();
    if (now - this.lastPrintedAt < this.intervalMs) return;
    this.lastPrintedAt = now;
    this.io.stderr(`progress: ${tally.filesProcessed}/${this.totalFiles} files, ${progressSummary(tally)}\n`);
  }

  log(message: string): void {
    this.io.stderr(`${message}\n`);
  }

  stop(): void {
    // Nothing to tear down; the summary follows on stdout.
  }
}

/** Dry runs print their own listing; progress would only interleave with it. */
export const silentProgress: ProgressReporter = {
  update: () => undefined,
  log: () => undefined,
  stop: () => undefined,
};
