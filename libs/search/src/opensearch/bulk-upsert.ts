import { setTimeout as sleep } from 'node:timers/promises';
import { errors, type Client } from '@opensearch-project/opensearch';
import { ErrorCode, type UpsertOutcome } from '@tessera/domain';
import type { IndexableDocument } from '../search-backend.port';
import { toSource, type DocumentSource } from './document-source';
import { documentId } from './index-names';
import { guarded, isMissingIndex, unavailable, type OpenSearchUnavailableError } from './opensearch-errors';
import { isFailure, isRetryableStatus, itemFailure, PartialUpsertError, type UpsertItemResult } from './upsert-errors';

export interface UpsertContext {
  readonly client: Client;
  readonly workspaceId: string;
  readonly alias: string;
  /** Request options for this workspace; `ignore` lists statuses answered rather than thrown. */
  readonly requestOptions: (ignore?: number[]) => Promise<object>;
  readonly retry: { readonly attempts: number; readonly baseDelayMs: number };
  /** Creates the workspace's index when it is missing (created while OpenSearch was down, or before the switch to it). */
  readonly createIndex: () => Promise<void>;
}

interface PendingWrite {
  /** Position in the caller's batch. */
  readonly position: number;
  readonly id: string;
  readonly source: DocumentSource;
}

interface BulkItem {
  readonly status: number;
  readonly result?: string;
  readonly error?: { readonly type?: string; readonly reason?: string };
}

/**
 * The workspace is being moved between indices: its alias is fenced (`is_write_index: false`) and
 * OpenSearch refuses its writes until the alias swap, typically for seconds. Retried like a 429.
 * The reason is OpenSearch's own sentence about the alias; it quotes no document text.
 */
function isMoving(item: BulkItem): boolean {
  return item.status === 400 && item.error?.type === 'illegal_argument_exception' && /no write index is defined for alias/.test(item.error.reason ?? '');
}
const MOVING = { code: ErrorCode.Unavailable, message: 'the workspace is being moved to another search index; retry in a few seconds' } as const;

/**
 * Writes a batch with `_bulk` and reports, in input order, created / updated / unchanged. Each
 * document is applied on its own by OpenSearch: when some fail, the rest stay written and a
 * PartialUpsertError says which failed and why.
 */
export async function upsertDocuments(ctx: UpsertContext, documents: readonly IndexableDocument[]): Promise<UpsertOutcome[]> {
  if (documents.length === 0) return [];
  // Later occurrences win when a batch names the same id twice; only they are written.
  const lastPosition = new Map(documents.map((d, i) => [d.id, i]));
  const existing = await existingHashes(ctx, [...lastPosition.keys()]);
  const results: UpsertItemResult[] = new Array(documents.length);
  const pending: PendingWrite[] = [];
  const now = new Date();
  documents.forEach((document, position) => {
    const previous = existing.get(document.id);
    if (lastPosition.get(document.id) !== position) results[position] = previous === undefined ? 'created' : 'unchanged';
    else if (previous === document.contentHash) results[position] = 'unchanged';
    else pending.push({ position, id: document.id, source: toSource(ctx.workspaceId, document, now) });
  });

  const requestError = await writeWithRetries(ctx, pending, results);
  // An earlier occurrence of an id shares the fate of the last one.
  documents.forEach((document, position) => {
    const last = results[lastPosition.get(document.id)!]!;
    if (isFailure(last)) results[position] = last;
  });
  if (!results.some(isFailure)) return results as UpsertOutcome[];
  // Nothing was stored because OpenSearch could not be reached: say that, not "n of n failed".
  if (requestError && results.every(isFailure)) throw requestError;
  throw new PartialUpsertError(results);
}

/** content_hash of the documents that exist, so that an identical re-upload is not written again. */
async function existingHashes(ctx: UpsertContext, ids: string[]): Promise<Map<string, string>> {
  const response = await guarded('upsert', async () =>
    ctx.client.mget({ index: ctx.alias, _source: ['content_hash'], body: { ids: ids.map((id) => documentId(ctx.workspaceId, id)) } }, await ctx.requestOptions([404])),
  );
  const docs = (response.body.docs ?? []) as Array<{ _id: string; found?: boolean; _source?: { content_hash?: string }; error?: unknown }>;
  const prefix = documentId(ctx.workspaceId, '');
  if (response.statusCode === 404 || docs.some((d) => d.error !== undefined && isMissingIndex(d))) {
    await ctx.createIndex();
    return new Map();
  }
  if (docs.some((d) => d.error !== undefined)) throw unavailable('upsert', new Error('mget item failed'));
  return new Map(docs.filter((d) => d.found && d._source?.content_hash).map((d) => [d._id.slice(prefix.length), d._source!.content_hash!]));
}

/**
 * Sends the pending writes, retrying the items (or the whole request) that OpenSearch rejected with
 * 429 or 503 — it is shedding load — with exponential backoff, `retry.attempts` attempts in all.
 * Fills `results`; returns the error of a request that failed as a whole, if one did.
 */
async function writeWithRetries(
  ctx: UpsertContext,
  pending: readonly PendingWrite[],
  results: UpsertItemResult[],
): Promise<OpenSearchUnavailableError | undefined> {
  let batch = pending;
  for (let attempt = 1; batch.length > 0; attempt++) {
    const lastAttempt = attempt >= ctx.retry.attempts;
    let items: BulkItem[];
    try {
      items = await sendBulk(ctx, batch);
    } catch (error) {
      const status = error instanceof errors.ResponseError ? error.statusCode : undefined;
      if (status !== undefined && isRetryableStatus(status) && !lastAttempt) {
        await backoff(ctx, attempt);
        continue;
      }
      // A timeout may or may not have applied the writes; re-sending them later is safe (same ids).
      const failure = unavailable('upsert', error);
      for (const write of batch) results[write.position] = { code: failure.code, message: failure.message };
      return failure;
    }
    const retry: PendingWrite[] = [];
    items.forEach((item, i) => {
      const write = batch[i]!;
      if (item.status >= 200 && item.status < 300) results[write.position] = item.result === 'created' ? 'created' : 'updated';
      else if ((isRetryableStatus(item.status) || isMoving(item)) && !lastAttempt) retry.push(write);
      else results[write.position] = isMoving(item) ? MOVING : itemFailure(item.status, item.error?.type);
    });
    batch = retry;
    if (batch.length > 0) await backoff(ctx, attempt);
  }
  return undefined;
}

async function sendBulk(ctx: UpsertContext, batch: readonly PendingWrite[]): Promise<BulkItem[]> {
  const response = await ctx.client.bulk(
    {
      index: ctx.alias,
      // Never let a write auto-create a concrete index named like the alias, with guessed mappings.
      require_alias: true,
      // Answer once the documents are searchable (at the next scheduled refresh, ≤ 1 s), without
      // forcing a refresh per request the way `refresh: true` would.
      refresh: 'wait_for',
      body: batch.flatMap((write) => [{ index: { _id: documentId(ctx.workspaceId, write.id) } }, write.source]),
    },
    await ctx.requestOptions(),
  );
  const items = (response.body.items ?? []) as Array<Record<string, BulkItem>>;
  if (items.length !== batch.length) throw new Error('bulk response does not list every item');
  return items.map((item) => item.index!);
}

/** Exponential with "equal jitter": half the delay fixed, half random, so rejected writers spread out. */
function backoff(ctx: UpsertContext, attempt: number): Promise<void> {
  const delay = ctx.retry.baseDelayMs * 2 ** (attempt - 1);
  return sleep(delay / 2 + Math.random() * (delay / 2));
}
