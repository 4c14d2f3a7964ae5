import { errors } from '@opensearch-project/opensearch';
import { UnavailableError } from '@tessera/domain';

/**
 * OpenSearch could not serve a request: down, slow, overloaded or refusing our credentials.
 *
 * The port's one UnavailableError (code `unavailable`) with the HTTP status OpenSearch answered, if any, so the tenant API answers 503 (or reports the line as
 * failed with that code) and the gateway answers "search is temporarily unavailable". It never
 * keeps the client's error as `cause` and copies nothing from it but its kind and status: the
 * client's errors carry the whole request — query text, documents, the authorization header —
 * and loggers serialize every enumerable property of an error.
 */
export class OpenSearchUnavailableError extends UnavailableError {
  constructor(
    operation: string,
    reason: string,
    readonly status?: number,
  ) {
    super(operation, reason);
    this.name = 'OpenSearchUnavailableError';
  }
}

/** Turns anything the client throws into an OpenSearchUnavailableError that is safe to log. */
export function unavailable(operation: string, error: unknown): OpenSearchUnavailableError {
  if (error instanceof OpenSearchUnavailableError) return error;
  if (error instanceof errors.TimeoutError) return new OpenSearchUnavailableError(operation, 'timed out');
  if (error instanceof errors.ConnectionError || error instanceof errors.NoLivingConnectionsError) {
    return new OpenSearchUnavailableError(operation, 'not reachable');
  }
  if (error instanceof errors.ResponseError) {
    return new OpenSearchUnavailableError(operation, `answered ${error.statusCode} ${errorType(error.body) ?? ''}`.trim(), error.statusCode);
  }
  if (error instanceof errors.DeserializationError) return new OpenSearchUnavailableError(operation, 'answered something that is not JSON');
  return new OpenSearchUnavailableError(operation, 'request failed');
}

/** Runs one client call and rethrows its failure as an OpenSearchUnavailableError. */
export async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw unavailable(operation, error);
  }
}

/** `error.type` of an OpenSearch error body (`{"error":{"type":…}}`), when there is one. */
export function errorType(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
    ? (error as { type: string }).type
    : undefined;
}

/** A 404 that means the index or alias is missing (as opposed to a missing document). */
export function isMissingIndex(body: unknown): boolean {
  if (errorType(body) === 'index_not_found_exception') return true;
  // GET _alias/<name> answers a missing alias with a bare string: {"error":"alias [x] missing","status":404}.
  const error = (body as { error?: unknown } | null | undefined)?.error;
  return typeof error === 'string' && /missing/.test(error);
}
