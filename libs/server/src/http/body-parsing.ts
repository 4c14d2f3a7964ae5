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
      verify: (_req: IncomingMessage, _res, raw: Buffer) => {
        if (jsonNestsDeeperThan(raw, MAX_JSON_DEPTH)) {
          throw new BodyError(400, 'validation_failed', `request body nests deeper than ${MAX_JSON_DEPTH} levels`);
        }
        refuseHostileBytes(raw, false);
      },
    }),
  );
  app.use(express.urlencoded({ limit: '64kb', extended: false, parameterLimit: 100, verify: (_req, _res, raw: Buffer) => refuseHostileBytes(raw, true) }));
  // Parsed JSON and form bodies: no NUL or unpaired surrogate in any field (hostile-input.ts).
  app.use((req: Request, res: Response, next: NextFunction) => {
    const problem = req.body === undefined ? undefined : parsedBodyProblem(req.body);
    if (problem) return refuseHostileInput(res, routeFamilyOf(req.path), problem);
    next();
  });
  const bodyErrors: ErrorRequestHandler = (error: { status?: number; statusCode?: number; type?: string } & Error, req, res, next) => {
    if (error instanceof HostileBodyError) return refuseHostileInput(res, routeFamilyOf(req.path), error.problem);
    if (error instanceof BodyError) {
      res.status(error.status).json({ code: error.code, message: error.message });
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
    res.status(status).json({ code, message });
  };
  app.use(bodyErrors);
}
