import type { IncomingMessage } from 'node:http';

export type BodyResult = { kind: 'ok'; text: string } | { kind: 'too_large' } | { kind: 'aborted' };

const TOO_LARGE: BodyResult = { kind: 'too_large' };
const ABORTED: BodyResult = { kind: 'aborted' };

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
    const text = chunks === undefined ? '' : Array.isArray(chunks) ? Buffer.concat(chunks).toString('utf8') : chunks.toString('utf8');
    finish({ kind: 'ok', text });
  });
  // A client that goes away mid-body makes the request emit 'error' (ECONNRESET, after the deprecated 'aborted').
  req.on('error', () => finish(ABORTED));
}

/** receiveBody as a promise. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => receiveBody(req, limit, resolve));
}
