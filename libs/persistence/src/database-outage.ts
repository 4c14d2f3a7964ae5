/** Socket failures: the database is not there (refused, unreachable, its socket gone) or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOENT']);

/**
 * SQLSTATEs of an outage: connection exceptions (class 08), the server shutting down or starting
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now), out of connections (53300).
 */
const OUTAGE_STATES = /^(08...|57P0[123]|53300)$/;

/** What node-postgres and its pool say when a connection is lost or cannot be had in time. */
const OUTAGE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Cannot use a pool after calling end|not queryable|PGlite is closed/i;

/**
 * Why `error` means the database cannot serve for now (a kind, never the error's own text), or null
 * when it is something else (a constraint, a bug). Looks through TypeORM's wrapper (driverError),
 * `cause` and the errors of an AggregateError, for PostgreSQL and the embedded PGlite alike.
 */
export function databaseOutage(error: unknown, depth = 0): string | null {
  if (typeof error !== 'object' || error === null || depth > 4) return null;
  const { code, message, driverError, cause, errors } = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return code === 'ECONNREFUSED' || code === 'ENOENT' ? 'connection refused' : 'connection lost';
    if (OUTAGE_STATES.test(code)) return code.startsWith('08') ? 'connection lost' : code === '53300' ? 'out of connections' : 'server shutting down';
  }
  if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return /timeout exceeded/i.test(message) ? 'no connection in time' : 'connection lost';
  for (const inner of [driverError, cause, ...(Array.isArray(errors) ? errors : [])]) {
    const found = databaseOutage(inner, depth + 1);
    if (found) return found;
  }
  return null;
}
