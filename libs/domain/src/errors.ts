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

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}
