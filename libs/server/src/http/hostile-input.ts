import { isUtf8 } from 'node:buffer';
import { IncomingMessage, type ServerResponse } from 'node:http';
import { findUnsafeText } from '@tessera/domain';

/**
 * Hostile text at the edge: NUL characters, unpaired surrogates and bytes that are not UTF-8 (raw, or
 * percent-encoded such as `%00` and `%ED%A0%80`) in a request's path, query or JSON/form body. No honest
 * client sends them, PostgreSQL cannot store them, and every app refuses them here, with a 400 in the
 * shape its callers read, before any route sees them:
 *
 *   - the request target, for every request of every app: startHttpApp, before any handler;
 *   - JSON and form bodies of Nest routes: installBodyParsers;
 *   - bodies of the raw handlers, which read their own: the MCP endpoint (its parser) and oidc-provider
 *     (screenRequestBody, before the provider reads it).
 */
export type RouteFamily = 'api' | 'oauth' | 'mcp';

export interface HostileInput {
  readonly message: string;
  /** True when the bytes are not text at all (JSON-RPC answers a parse error); false for text that holds what it must not. */
  readonly undecodable: boolean;
}

/** Which error shape a path's callers read: JSON-RPC for the MCP endpoint, RFC 6749 for OAuth, `{code,message}` elsewhere. */
export function routeFamilyOf(path: string): RouteFamily {
  if (path.startsWith('/mcp/')) return 'mcp';
  if (path.startsWith('/oauth/') || path === '/oauth' || path.startsWith('/.well-known/oauth-authorization-server') || path.startsWith('/.well-known/openid-configuration')) {
    return 'oauth';
  }
  return 'api';
}

const PLAIN_TARGET = /^[\x21-\x24\x26-\x7e]*$/;
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;

/**
 * What is wrong with percent-encoded text, given as a byte string (each char one byte, as Node gives a
 * request target, or a body read as latin1): decoded, its bytes must be UTF-8 without NUL. Unpaired surrogates cannot be percent-encoded in valid UTF-8 (ED A0 80 is not UTF-8).
 */
export function percentEncodedProblem(encoded: string, what: string): HostileInput | undefined {
  if (PLAIN_TARGET.test(encoded)) return undefined; // the common case: no '%' and nothing to decode
  const bytes = Buffer.allocUnsafe(encoded.length * 3);
  let length = 0;
  for (let i = 0; i < encoded.length; i++) {
    const char = encoded.charCodeAt(i);
    if (char === 0x25 && i + 2 < encoded.length && HEX_PAIR.test(encoded.slice(i + 1, i + 3))) {
      bytes[length++] = parseInt(encoded.slice(i + 1, i + 3), 16);
      i += 2;
    } else if (char < 0x100) {
      bytes[length++] = char; // a byte string (latin1): the request target, a body read as bytes
    } else {
      length += bytes.write(encoded[i]!, length, 'utf8');
    }
  }
  const decoded = bytes.subarray(0, length);
  if (decoded.includes(0)) return { message: `${what} contains a NUL character`, undecodable: false };
  if (!isUtf8(decoded)) return { message: `${what} is not valid UTF-8 once percent-decoded`, undecodable: false };
  return undefined;
}

/** The request target (path and query): see percentEncodedProblem. */
export function requestTargetProblem(url: string): HostileInput | undefined {
  return percentEncodedProblem(url, 'the request URL');
}

/** A JSON value parsed from a body: no NUL and no unpaired surrogate in any string or key. */
export function parsedBodyProblem(value: unknown): HostileInput | undefined {
  const found = findUnsafeText(value);
  if (!found) return undefined;
  return { message: `request body field ${found.path || '(the body)'} ${found.problem}`.slice(0, 300), undecodable: false };
}

/**
 * JSON text (decoded from valid UTF-8) and the value JSON.parse made of it. JSON forbids raw control
 * characters in strings and valid UTF-8 cannot encode a surrogate, so a NUL or an unpaired surrogate
 * can only arrive as a `\u` escape: text without one is not walked.
 */
export function jsonTextProblem(text: string, parsed: unknown): HostileInput | undefined {
  return text.includes('\\u') ? parsedBodyProblem(parsed) : undefined;
}

/** Raw body bytes: UTF-8 text, and for forms, percent-decoded UTF-8 without NUL. */
export function rawBodyProblem(raw: Buffer, form: boolean): HostileInput | undefined {
  if (!isUtf8(raw)) return { message: 'request body is not valid UTF-8', undecodable: true };
  if (form) return percentEncodedProblem(raw.toString('latin1'), 'the form body');
  return undefined;
}

/** Answers 400 in the family's error shape. */
export function refuseHostileInput(res: ServerResponse, family: RouteFamily, problem: HostileInput): void {
  const body =
    family === 'mcp'
      ? { jsonrpc: '2.0', id: null, error: { code: problem.undecodable ? -32700 : -32600, message: `${problem.undecodable ? 'Parse error' : 'Invalid request'}: ${problem.message}` } }
      : family === 'oauth'
        ? { error: 'invalid_request', error_description: problem.message }
        : { code: 'validation_failed', message: problem.message };
  const text = JSON.stringify(body);
  res.statusCode = 400;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.setHeader('cache-control', 'no-store');
  res.end(text);
}

const FORM = /^application\/x-www-form-urlencoded\b/i;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * For a raw handler that lets a library read the body (oidc-provider): reads it (up to `limit` bytes),
 * refuses hostile input in it and in HTTP Basic client credentials, and hands `next` a request that
 * replays the same bytes. Requests without a JSON or form body go to `next` untouched.
 */
export function screenRequestBody(req: IncomingMessage, res: ServerResponse, family: RouteFamily, limit: number, next: (req: IncomingMessage) => void): void {
  const credentials = basicCredentialsProblem(req.headers.authorization);
  if (credentials) return refuseHostileInput(res, family, credentials);
  const type = req.headers['content-type'] ?? '';
  const form = FORM.test(type);
  if (!form && !JSON_TYPE.test(type)) return next(req);
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) over = true;
    else chunks.push(chunk);
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    if (over) {
      return refuseHostileInput(res, family, { message: `request body exceeds ${limit} bytes`, undecodable: false });
    }
    const raw = Buffer.concat(chunks, size);
    const problem = rawBodyProblem(raw, form) ?? (form ? undefined : parsedJsonProblem(raw));
    if (problem) return refuseHostileInput(res, family, problem);
    next(replay(req, raw));
  });
}

/** Malformed JSON is the reader's to refuse in its own words; only well-formed JSON is inspected here. */
function parsedJsonProblem(raw: Buffer): HostileInput | undefined {
  const text = raw.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return jsonTextProblem(text, parsed);
}

/** RFC 6749 §2.3.1: Basic credentials are form-encoded client_id:client_secret, base64-encoded. */
function basicCredentialsProblem(authorization: string | undefined): HostileInput | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64');
  if (!isUtf8(decoded)) return { message: 'the Basic credentials are not valid UTF-8', undecodable: false };
  return percentEncodedProblem(decoded.toString('latin1'), 'the Basic credentials');
}

/** A request with the same head that reads `body` again (the original's body was consumed screening it). */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.complete = true;
  if (body.length > 0) copy.push(body);
  copy.push(null);
  return copy;
}
