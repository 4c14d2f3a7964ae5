import type { Batch, BatchEntry } from './batching';

/**
 * Maps a `documents:bulk` response back onto the documents of the batch that
 * produced it. Result `line` numbers are 1-based within the request.
 */

export type SuccessStatus = 'created' | 'updated' | 'unchanged';

export interface BatchOutcome {
  counts: Record<SuccessStatus, number>;
  failures: { entry: BatchEntry; message: string }[];
}

interface BulkResult {
  line?: unknown;
  id?: unknown;
  status?: unknown;
  error?: { code?: unknown; message?: unknown };
}

const SUCCESS_STATUSES: ReadonlySet<string> = new Set(['created', 'updated', 'unchanged']);

export function interpretBulkResponse(batch: Batch, response: unknown): BatchOutcome {
  const outcome: BatchOutcome = { counts: { created: 0, updated: 0, unchanged: 0 }, failures: [] };
  const results = (response as { results?: unknown } | null | undefined)?.results;
  if (!Array.isArray(results)) {
    for (const entry of batch.entries) {
      outcome.failures.push({ entry, message: 'unexpected response from the server (no "results" list)' });
    }
    return outcome;
  }

  const byLine = new Map<number, BulkResult>();
  for (const result of results as BulkResult[]) {
    if (result && typeof result.line === 'number') byLine.set(result.line, result);
  }
  batch.entries.forEach((entry, index) => {
    const result = byLine.get(index + 1);
    const status = typeof result?.status === 'string' ? result.status : undefined;
    if (status && SUCCESS_STATUSES.has(status)) {
      outcome.counts[status as SuccessStatus]++;
    } else if (status === 'failed') {
      outcome.failures.push({ entry, message: describeResultError(result?.error) });
    } else {
      const reason = result ? `unexpected status ${JSON.stringify(result.status)}` : 'no result returned for this line';
      outcome.failures.push({ entry, message: `the server's response is incomplete: ${reason}` });
    }
  });
  return outcome;
}

function describeResultError(error: BulkResult['error']): string {
  const message = typeof error?.message === 'string' ? error.message : 'rejected by the server';
  return typeof error?.code === 'string' ? `${message} (${error.code})` : message;
}
