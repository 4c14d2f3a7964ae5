import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode, TesseraError } from '@tessera/domain';
import { ndjsonLines, type NdjsonLimits, type NdjsonLine } from './ndjson-lines';

const ROOMY: NdjsonLimits = { maxLineBytes: 1024, maxTotalBytes: 1024 * 1024 };

async function lines(chunks: Array<Buffer | string>, limits: NdjsonLimits = ROOMY): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const line of ndjsonLines(chunks, limits)) out.push(line);
  return out;
}

async function* slowly(chunks: Array<Buffer | string>): AsyncGenerator<Buffer | string> {
  for (const chunk of chunks) {
    await new Promise((resolve) => setImmediate(resolve));
    yield chunk;
  }
}

describe('ndjsonLines', () => {
  it('splits LF lines and numbers them from 1', async () => {
    expect(await lines(['{"a":1}\n{"b":2}\n'])).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
  });

  it('strips the CR of CRLF line endings', async () => {
    expect(await lines(['{"a":1}\r\n{"b":2}\r\n'])).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
  });

  it('strips a CR that arrives in one chunk and its LF in the next', async () => {
    expect(await lines(['{"a":1}\r', '\n{"b":2}'])).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
  });

  it('yields a last line without a trailing newline', async () => {
    expect(await lines(['{"a":1}\n{"b":2}'])).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
    expect(await lines(['{"only":1}\r'])).toStrictEqual([{ line: 1, text: '{"only":1}' }]);
  });

  it('skips blank and whitespace-only lines but keeps counting them', async () => {
    expect(await lines(['\n{"a":1}\n\n  \t\n\r\n{"b":2}\n\n'])).toStrictEqual([
      { line: 2, text: '{"a":1}' },
      { line: 6, text: '{"b":2}' },
    ]);
    expect(await lines([''])).toStrictEqual([]);
    expect(await lines([])).toStrictEqual([]);
    expect(await lines(['\n\n\n'])).toStrictEqual([]);
  });

  it('joins a line split across chunks, including byte by byte', async () => {
    expect(await lines(['{"a":', '1}\n{"b"', ':2}', '\n'])).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
    const body = Buffer.from('{"x":"yz"}\n{"w":1}\n');
    const bytes = [...body].map((b) => Buffer.from([b]));
    expect(await lines(bytes)).toStrictEqual([
      { line: 1, text: '{"x":"yz"}' },
      { line: 2, text: '{"w":1}' },
    ]);
  });

  it('decodes multi-byte UTF-8 characters split across chunks', async () => {
    const body = Buffer.from('{"t":"é€😀中"}\n{"t":"ß"}', 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += 3) chunks.push(body.subarray(i, i + 3));
    expect(await lines(chunks)).toStrictEqual([
      { line: 1, text: '{"t":"é€😀中"}' },
      { line: 2, text: '{"t":"ß"}' },
    ]);
    // The 4-byte emoji split 1 + 3 and 2 + 2, from an async source.
    const emoji = Buffer.from('{"e":"😀"}\n');
    const at = emoji.indexOf(0xf0);
    expect(await lines([emoji.subarray(0, at + 1), emoji.subarray(at + 1)])).toStrictEqual([{ line: 1, text: '{"e":"😀"}' }]);
    const collected: NdjsonLine[] = [];
    for await (const line of ndjsonLines(slowly([emoji.subarray(0, at + 2), emoji.subarray(at + 2)]), ROOMY)) collected.push(line);
    expect(collected).toStrictEqual([{ line: 1, text: '{"e":"😀"}' }]);
  });

  it('accepts a line of exactly the byte limit and reports one byte more as too long', async () => {
    const limits = { maxLineBytes: 10, maxTotalBytes: 1000 };
    expect(await lines(['0123456789\n'], limits)).toStrictEqual([{ line: 1, text: '0123456789' }]);
    expect(await lines(['0123456789A\n'], limits)).toStrictEqual([{ line: 1, tooLong: true }]);
    assert.deepEqual(await lines(['éééééé\n'], limits), [{ line: 1, tooLong: true }], 'the limit is in bytes');
  });

  it('reports an over-long line and goes on with the good line after it (same chunk)', async () => {
    const limits = { maxLineBytes: 10, maxTotalBytes: 1000 };
    expect(await lines([`${'x'.repeat(50)}\n{"ok":1}\n`], limits)).toStrictEqual([
      { line: 1, tooLong: true },
      { line: 2, text: '{"ok":1}' },
    ]);
  });

  it('reports an over-long line spread over many chunks once, without buffering it, then the good line', async () => {
    const limits = { maxLineBytes: 10, maxTotalBytes: 10_000 };
    const chunks = ['{"a":1}\n', 'x'.repeat(6), 'x'.repeat(6), 'x'.repeat(600), 'x'.repeat(600), 'xx\n{"ok":1}', '\n{"c":3}'];
    expect(await lines(chunks, limits)).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, tooLong: true },
      { line: 3, text: '{"ok":1}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it('reports a line that only passes the limit with the piece that ends it', async () => {
    const limits = { maxLineBytes: 10, maxTotalBytes: 10_000 };
    expect(await lines(['x'.repeat(7), 'x'.repeat(4) + '\n{"ok":1}\n'], limits)).toStrictEqual([
      { line: 1, tooLong: true },
      { line: 2, text: '{"ok":1}' },
    ]);
  });

  it('reports an over-long last line without a trailing newline', async () => {
    const limits = { maxLineBytes: 10, maxTotalBytes: 10_000 };
    expect(await lines(['{"a":1}\n', 'y'.repeat(30)], limits)).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, tooLong: true },
    ]);
  });

  it('refuses a body over the total limit with payload_too_large, after yielding the lines before it', async () => {
    const limits = { maxLineBytes: 100, maxTotalBytes: 20 };
    const seen: NdjsonLine[] = [];
    await assert.rejects(
      (async () => {
        for await (const line of ndjsonLines(['{"a":1}\n', '{"b":2}\n', '{"c":3}\n'], limits)) seen.push(line);
      })(),
      (error: unknown) => error instanceof TesseraError && error.code === ErrorCode.PayloadTooLarge && /send the rest/.test(error.message),
    );
    expect(seen).toStrictEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
  });

  it('accepts a body of exactly the total limit', async () => {
    const limits = { maxLineBytes: 100, maxTotalBytes: 16 };
    assert.equal((await lines(['{"a":1}\n', '{"b":2}\n'], limits)).length, 2);
  });

  it('accepts string chunks as well as buffers', async () => {
    expect(await lines(['{"a":', Buffer.from('"é"}\n')])).toStrictEqual([{ line: 1, text: '{"a":"é"}' }]);
  });
});
