/** Running totals for one ingest run; the summary and progress lines read from it. */

export interface FailureRecord {
  /** A path, `path:line`, or `path (id)` — whatever lets the user find the problem. */
  label: string;
  message: string;
}

export const MAX_LISTED_FAILURES = 20;

export class IngestTally {
  filesRead = 0;
  filesSkipped = 0;
  /** Supported files that were discovered (the progress bar's total). */
  filesFound = 0;
  /** Read or given up on; drives the progress bar. */
  filesProcessed = 0;
  documentsSent = 0;
  batchesSent = 0;
  created = 0;
  updated = 0;
  unchanged = 0;
  failed = 0;
  /** Only the first few are kept: a run over a broken export could fail millions of lines. */
  readonly failures: FailureRecord[] = [];

  recordFailure(label: string, message: string): void {
    this.failed++;
    if (this.failures.length < MAX_LISTED_FAILURES) {
      this.failures.push({ label, message });
    }
  }
}
