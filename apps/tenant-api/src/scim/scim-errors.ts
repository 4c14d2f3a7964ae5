import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { TesseraError } from '@tessera/domain';
import { SCIM_CONTENT_TYPE, SCIM_ERROR_SCHEMA, statusFor } from '@tessera/server';

/** RFC 7644 §3.12 detail error keywords this service uses. */
export type ScimType = 'invalidFilter' | 'invalidSyntax' | 'invalidValue' | 'invalidPath' | 'noTarget' | 'uniqueness' | 'mutability' | 'tooMany';

/** A SCIM protocol error: answered as `{schemas: [Error], status, scimType?, detail}` with its status. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  static badRequest(scimType: ScimType, detail: string): ScimError {
    return new ScimError(400, detail, scimType);
  }

  static notFound(what: 'User' | 'Group' | 'resource', id?: string): ScimError {
    return new ScimError(404, id ? `${what} ${id.slice(0, 64)} not found` : `${what} not found`);
  }

  static uniqueness(detail: string): ScimError {
    return new ScimError(409, detail, 'uniqueness');
  }

  static unauthorized(): ScimError {
    return new ScimError(401, 'missing or invalid SCIM bearer token for this tenant');
  }

  static preconditionFailed(): ScimError {
    return new ScimError(412, 'the resource changed since the version named in If-Match');
  }

  body(): Record<string, unknown> {
    return { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), ...(this.scimType ? { scimType: this.scimType } : {}), detail: this.detail };
  }
}

/** Every answer of the SCIM routes, errors included, is SCIM: no `{code, message}` leaks through. */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = this.toScimError(exception);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (error.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="scim"');
    response.status(error.status).type(SCIM_CONTENT_TYPE).json(error.body());
  }

  private toScimError(exception: unknown): ScimError {
    if (exception instanceof ScimError) return exception;
    if (exception instanceof TesseraError) {
      const status = statusFor(exception.code);
      return new ScimError(status, exception.message, status === 400 ? 'invalidValue' : undefined);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return new ScimError(status, status === 404 ? 'no such SCIM endpoint' : exception.message, status === 400 ? 'invalidSyntax' : undefined);
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, err: exception }, 'unhandled SCIM error');
    return new ScimError(500, `internal error (id ${errorId})`);
  }
}
