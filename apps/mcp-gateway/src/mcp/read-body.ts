import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

const EMPTY = Buffer.alloc(0);

export type BodyResult = { kind: 'ok'; text: string } | { kind: 'too_large' } | { kind: 'not_utf8' } | { kind: 'aborted' };

const TOO_LARGE: BodyResult = { kind: 'too_large' };
const ABORTED: BodyResult = { kind: 'aborted' };
const NOT_UTF8: BodyResult = { kind: 'not_utf8' };

/**
 * Reads a request body up to `limit` bytes and calls `done` once with it; never buffers more than
 * that. A callback rather than a promise: the MCP hot path stays free of promises.
 */
export function receiveBody(req: IncomingMessage, limit: number, done: (body: BodyResult) => void): void {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    req.resume();
    return done(TOO_LARGE);
  }
  let chunks: Buffer | Buffer[] | undefined;
  let size = 0;
  let finished = false;
  const finish = (body: BodyResult) => {
    if (finished) return;
    finished = true;
    chunks = undefined;
    done(body);
  };
  req.on('data', (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size > limit) {
      req.resume();
      return finish(TOO_LARGE);
    }
    if (chunks === undefined) chunks = chunk;
    else if (Array.isArray(chunks)) chunks.push(chunk);
    else chunks = [chunks, chunk];
  });
  req.on('end', () => {
    if (finished) return;
    const bytes = chunks === undefined ? EMPTY : Array.isArray(chunks) ? Buffer.concat(chunks) : chunks;
    // Bytes that are not UTF-8 would decode to U+FFFD silently: the caller refuses them instead.
    finish(isUtf8(bytes) ? { kind: 'ok', text: bytes.toString('utf8') } : NOT_UTF8);
  });
  // A client that goes away mid-body makes the request emit 'error' (ECONNRESET, after the deprecated 'aborted').
  req.on('error', () => finish(ABORTED));
}

/** receiveBody as a promise. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => receiveBody(req, limit, resolve));
}
