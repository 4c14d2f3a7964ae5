import { isRejectedBeforeProcessing, withRetry } from '../api-client';
import { createApiClient, type CliContext, type GlobalOptions } from '../cli-context';

/**
 * POSTs a create call. Creates are not idempotent, so only failures where the
 * server certainly did nothing (429, 503, connection refused) are retried.
 */
export async function postCreate<T>(
  context: CliContext,
  global: GlobalOptions,
  path: string,
  body: unknown,
): Promise<T> {
  const client = createApiClient(context, global);
  return withRetry(() => client.postJson<T>(path, body), {
    ...context.retry,
    shouldRetry: isRejectedBeforeProcessing,
  });
}

export function printJson(context: CliContext, value: unknown): void {
  context.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Indented on its own line so it is easy to spot and to copy with a double-click. */
export function prominent(value: unknown): string {
  return `\n    ${display(value)}\n\n`;
}

/** The API is new; show a placeholder instead of "undefined" if a field is missing. */
export function display(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(not returned)';
  return String(value);
}
