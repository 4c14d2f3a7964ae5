import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { assertUnreachable, ErrorCode, TesseraError } from '@tessera/domain';

export interface ApiErrorBody {
  code: string;
  message: string;
}

export function statusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Unauthorized:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UnsupportedMediaType:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.Unavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    default:
      return assertUnreachable(code);
  }
}

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: 'method_not_allowed',
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: 'rate_limited',
  503: ErrorCode.Unavailable,
};

/** What a 503 asks the caller to wait, in seconds. */
export const RETRY_AFTER_SECONDS = '5';

/** Every API error is `{ code, message }` with the right status; a 500 says nothing internal. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toResponse(exception);
    if (response.headersSent) {
      response.end();
      return;
    }
    // An outage tells the caller to come back (the bulk endpoint says the same for a bulk that stored nothing).
    if (status === HttpStatus.SERVICE_UNAVAILABLE) response.set('Retry-After', RETRY_AFTER_SECONDS);
    response.status(status).json(body);
  }

  private toResponse(exception: unknown): [number, ApiErrorBody] {
    if (exception instanceof TesseraError) {
      return [statusFor(exception.code), { code: exception.code, message: exception.message }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      const message = messageOf(payload) ?? exception.message;
      const code = (typeof payload === 'object' && (payload as { code?: string }).code) || CODE_BY_STATUS[status] || 'error';
      return [status, { code, message }];
    }
    // body-parser errors carry their own status (400 malformed JSON, 413 too large, 415 charset).
    const bodyParserStatus = (exception as { status?: number; type?: string })?.status;
    if (typeof bodyParserStatus === 'number' && bodyParserStatus >= 400 && bodyParserStatus < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.too.large'
          ? 'request body is too large'
          : type === 'entity.parse.failed'
            ? 'request body is not valid JSON'
            : 'request body could not be read';
      return [bodyParserStatus, { code: CODE_BY_STATUS[bodyParserStatus] ?? 'bad_request', message }];
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, err: exception }, 'unhandled error');
    return [500, { code: 'internal_error', message: `internal error (id ${errorId})` }];
  }
}

function messageOf(payload: string | object): string | undefined {
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}
