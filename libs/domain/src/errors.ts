/** Error codes every layer may raise; the HTTP layer maps each to a status exhaustively. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  Unavailable = 'unavailable',
}

export class TesseraError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TesseraError';
  }

  static notFound(what: string): TesseraError {
    return new TesseraError(ErrorCode.NotFound, `${what} not found`);
  }

  static validation(message: string): TesseraError {
    return new TesseraError(ErrorCode.ValidationFailed, message);
  }
}

/**
 * A backend could not serve for now (down, unreachable, shutting down, out of connections): the one
 * outage every backend raises, answered 503 with Retry-After by the API and "temporarily unavailable"
 * by the tools. It carries the operation and the kind of failure only, never the driver's error
 * (which may hold statement parameters: documents, queries).
 */
export class UnavailableError extends TesseraError {
  constructor(
    readonly operation: string,
    readonly reason: string,
  ) {
    super(ErrorCode.Unavailable, `the search backend is temporarily unavailable (${operation}: ${reason}); retry later`);
    this.name = 'UnavailableError';
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}
