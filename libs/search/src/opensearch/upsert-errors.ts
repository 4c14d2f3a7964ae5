import { ErrorCode, TesseraError, type UpsertOutcome } from '@tessera/domain';

/** Why one document of a batch was not stored. */
export interface UpsertFailure {
  readonly code: ErrorCode;
  readonly message: string;
}

export type UpsertItemResult = UpsertOutcome | UpsertFailure;

export function isFailure(result: UpsertItemResult): result is UpsertFailure {
  return typeof result !== 'string';
}

/**
 * Some documents of an upsert batch were stored and some were not: OpenSearch applies each document
 * of a `_bulk` request on its own. `results` is in input order, outcome or failure per document.
 *
 * Thrown rather than returned because the port's upsert returns outcomes only. Its code and message
 * are those of the failure when there is one (what a caller retrying one document at a time shows
 * for that document), otherwise `unavailable` when any failure is retryable.
 */
export class PartialUpsertError extends TesseraError {
  constructor(readonly results: readonly UpsertItemResult[]) {
    const failures = results.filter(isFailure);
    const only = failures.length === 1 ? failures[0]! : undefined;
    const code = only?.code ?? (failures.some((f) => f.code === ErrorCode.Unavailable) ? ErrorCode.Unavailable : ErrorCode.ValidationFailed);
    super(code, only?.message ?? `${failures.length} of ${results.length} documents were not stored; the others were`);
    this.name = 'PartialUpsertError';
  }
}

/** What a failed `_bulk` item means for the tenant admin. Only the error type is kept: reasons may quote document text. */
export function itemFailure(status: number, errorType: string | undefined): UpsertFailure {
  const type = errorType ?? `status ${status}`;
  if (isRetryableStatus(status)) return { code: ErrorCode.Unavailable, message: `the search index is overloaded (${type}); retry later` };
  if (status >= 500) return { code: ErrorCode.Unavailable, message: `the search index failed to store it (${type}); retry later` };
  if (type === 'cluster_block_exception') {
    return { code: ErrorCode.Unavailable, message: 'the search index refuses writes for now (being reindexed, or out of disk); retry later' };
  }
  if (status === 404) return { code: ErrorCode.Unavailable, message: `the workspace's search index is missing (${type})` };
  return { code: ErrorCode.ValidationFailed, message: `the search index rejected this document (${type})` };
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}
