import express, { type ErrorRequestHandler, type Express, type NextFunction, type Request, type Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { type HostileInput, parsedBodyProblem, rawBodyProblem, refuseHostileInput, routeFamilyOf } from './hostile-input';

export const MAX_JSON_DEPTH = 64;

/** Whether raw JSON nests deeper than `limit` — a linear scan, before any recursive parser sees it. */
export function jsonNestsDeeperThan(raw: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > limit) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

class HostileBodyError extends Error {
  constructor(readonly problem: HostileInput) {
    super(problem.message);
  }
}

function refuseHostileBytes(raw: Buffer, form: boolean): void {
  const problem = rawBodyProblem(raw, form);
  if (problem) throw new HostileBodyError(problem);
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Body parsing for the Nest routes: JSON (bounded size and depth) and forms. Parse failures answer
 * `{code, message}` here, in our words, instead of the parser's text (which can echo the body).
 */
export function installBodyParsers(app: Express, jsonLimit: string): void {
  app.use(
    express.json({
      limit: jsonLimit,
      // SCIM clients (RFC 7644 §3.1) send application/scim+json; the SCIM routes refuse other types (415).
      type: ['application/json', 'application/scim+json'],
      verify: (_req: IncomingMessage, _res, raw: Buffer) => {
        if (jsonNestsDeeperThan(raw, MAX_JSON_DEPTH)) {
          throw new BodyError(400, 'validation_failed', `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
        }
        refuseHostileBytes(raw, false);
      },
    }),
  );
  app.use(express.urlencoded({ limit: '64kb', extended: false, parameterLimit: 100, verify: (_req, _res, raw: Buffer) => refuseHostileBytes(raw, true) }));
  const refuse = (req: Request, res: Response, problem: HostileInput) =>
    req.path.startsWith(SCIM_PATH_PREFIX)
      ? res.status(400).type(SCIM_CONTENT_TYPE).json(scimBodyError(400, 'validation_failed', problem.message))
      : refuseHostileInput(res, routeFamilyOf(req.path), problem);
  // Parsed JSON and form bodies: no NUL or unpaired surrogate in any field (hostile-input.ts).
  app.use((req: Request, res: Response, next: NextFunction) => {
    const problem = req.body === undefined ? undefined : parsedBodyProblem(req.body);
    if (problem) return refuse(req, res, problem);
    next();
  });
  const bodyErrors: ErrorRequestHandler = (error: { status?: number; statusCode?: number; type?: string } & Error, req, res, next) => {
    if (error instanceof HostileBodyError) return refuse(req, res, error.problem);
    const answer = (status: number, code: string, message: string) =>
      req.path.startsWith(SCIM_PATH_PREFIX) ? res.status(status).type(SCIM_CONTENT_TYPE).json(scimBodyError(status, code, message)) : res.status(status).json({ code, message });
    if (error instanceof BodyError) {
      answer(error.status, error.code, error.message);
      return;
    }
    const status = error.status ?? error.statusCode;
    if (typeof status !== 'number' || status < 400 || status >= 500) return next(error);
    const [code, message] =
      error.type === 'entity.too.large'
        ? ['payload_too_large', 'request body is too large']
        : error.type === 'entity.parse.failed'
          ? ['validation_failed', 'request body is not valid JSON']
          : error.type === 'encoding.unsupported' || error.type === 'charset.unsupported'
            ? ['unsupported_media_type', 'request body encoding is not supported; send UTF-8']
            : ['validation_failed', 'request body could not be read'];
    answer(status, code, message);
  };
  app.use(bodyErrors);
}

/** Where the SCIM 2.0 service lives; its errors have the RFC 7644 §3.12 shape, even before routing. */
export const SCIM_PATH_PREFIX = '/scim/';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

function scimBodyError(status: number, code: string, message: string): Record<string, unknown> {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(code === 'validation_failed' ? { scimType: 'invalidSyntax' } : {}), detail: message };
}
