import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What travels with one HTTP request through every await: its id and the fields of its access-log line. */
export interface RequestContext {
  readonly requestId: string;
  /** Added by annotateRequest; written once, on the request's access-log line. */
  fields?: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@/+=-]{8,128}$/;

/** The caller's `x-request-id` when it is a sane token (8–128 safe characters), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTABLE_ID.test(value) ? value : randomUUID();
}

export function runWithRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * Adds fields to the current request's access-log line (one line per request, written when the response
 * ends), e.g. from the raw MCP handler: `annotateRequest({ rpcMethod: 'tools/call', tool: 'search',
 * outcome: 'ok', workspace: ctx.workspaceId })`. No effect outside a request. Fields are redacted like
 * any logged object; never pass the query text or a document's content.
 */
export function annotateRequest(fields: Record<string, unknown>): void {
  const context = storage.getStore();
  if (!context) return;
  if (context.fields) Object.assign(context.fields, fields);
  else context.fields = { ...fields };
}
