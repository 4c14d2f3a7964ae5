import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readBody, type BodyResult } from './read-body';

/** A request-shaped stream: readBody needs only headers and the stream events. */
function fakeRequest(chunks: Array<Buffer | string>, headers: Record<string, string> = {}): IncomingMessage & { consumed: () => number } {
  const stream = new PassThrough();
  let consumed = 0;
  stream.on('data', (chunk: Buffer) => (consumed += chunk.length));
  Object.assign(stream, { headers, consumed: () => consumed });
  setImmediate(() => {
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
  return stream as unknown as IncomingMessage & { consumed: () => number };
}

describe('readBody', () => {
  it('returns the whole body under the limit, joined across chunks', async () => {
    expect(await readBody(fakeRequest(['{"a":', '1}']), 100)).toStrictEqual({ kind: 'ok', text: '{"a":1}' });
  });

  it('returns an empty body as empty text', async () => {
    expect(await readBody(fakeRequest([]), 100)).toStrictEqual({ kind: 'ok', text: '' });
  });

  it('decodes a multi-byte UTF-8 character split across chunks', async () => {
    const bytes = Buffer.from('"é€😀"', 'utf8');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5, 8), bytes.subarray(8)];
    expect(await readBody(fakeRequest(chunks), 100)).toStrictEqual({ kind: 'ok', text: '"é€😀"' });
  });

  it('accepts a body of exactly the limit, in bytes', async () => {
    const body = 'é'.repeat(50); // 100 bytes, 50 characters
    expect(await readBody(fakeRequest([body]), 100)).toStrictEqual({ kind: 'ok', text: body });
  });

  it('refuses one byte over the limit when no length is declared (chunked)', async () => {
    expect(await readBody(fakeRequest(['x'.repeat(60), 'x'.repeat(41)]), 100)).toStrictEqual({ kind: 'too_large' });
  });

  it('counts bytes, not characters', async () => {
    expect(await readBody(fakeRequest(['é'.repeat(51)]), 100)).toStrictEqual({ kind: 'too_large' });
  });

  it('refuses a declared Content-Length over the limit at once', async () => {
    const started = Date.now();
    const result = await readBody(fakeRequest(['x'], { 'content-length': '101' }), 100);
    expect(result).toStrictEqual({ kind: 'too_large' });
    assert.ok(Date.now() - started < 1000);
  });

  it('refuses a body larger than its declared Content-Length says', async () => {
    expect(await readBody(fakeRequest(['x'.repeat(500)], { 'content-length': '10' }), 100)).toStrictEqual({ kind: 'too_large' });
  });

  it('ignores a Content-Length that is not a number and still enforces the limit', async () => {
    expect(await readBody(fakeRequest(['abc'], { 'content-length': 'abc' }), 100)).toStrictEqual({ kind: 'ok', text: 'abc' });
    expect(await readBody(fakeRequest(['x'.repeat(101)], { 'content-length': 'abc' }), 100)).toStrictEqual({ kind: 'too_large' });
  });

  it('keeps draining (not buffering) the rest after refusing, so the connection is not stuck', async () => {
    const req = fakeRequest(['x'.repeat(80), 'x'.repeat(80), 'x'.repeat(80)]);
    expect(await readBody(req, 100)).toStrictEqual({ kind: 'too_large' });
    if (!req.readableEnded) await new Promise((resolve) => req.once('end', resolve));
    assert.equal(req.consumed(), 240);
  });

  it('reports a stream error as aborted', async () => {
    const stream = new PassThrough();
    Object.assign(stream, { headers: {} });
    const pending = readBody(stream as unknown as IncomingMessage, 100);
    stream.write('abc');
    stream.destroy(new Error('boom'));
    expect(await pending).toStrictEqual({ kind: 'aborted' });
  });
});

describe('readBody on a real connection', () => {
  let server: Server;
  let port: number;
  const results: BodyResult[] = [];
  let onResult: (() => void) | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      void readBody(req, 1000).then((result) => {
        results.push(result);
        onResult?.();
        if (result.kind === 'aborted') return;
        res.writeHead(result.kind === 'ok' ? 200 : 413, { connection: 'close' });
        res.end(result.kind === 'ok' ? String(Buffer.byteLength(result.text)) : 'too large');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(body: string[], headers: Record<string, string>): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      for (const part of body) req.write(part);
      req.end();
    });
  }

  it('reads a chunked body under the limit', async () => {
    expect(await send(['a'.repeat(400), 'b'.repeat(400)], { 'transfer-encoding': 'chunked' })).toStrictEqual({ status: 200, text: '800' });
  });

  it('answers a chunked body over the limit without reading it all', async () => {
    assert.equal((await send(['a'.repeat(600), 'b'.repeat(600)], { 'transfer-encoding': 'chunked' })).status, 413);
  });

  it('settles as aborted when the client disconnects mid-body, so no request hangs', async () => {
    const settled = new Promise<void>((resolve) => (onResult = resolve));
    const count = results.length;
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': '900' } });
    req.on('error', () => undefined);
    req.write('x'.repeat(100));
    setTimeout(() => req.destroy(), 100);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 3000).unref());
    assert.notEqual(await Promise.race([settled, timeout]), 'timeout');
    expect(results[count]).toStrictEqual({ kind: 'aborted' });
  });
});
