import { ErrorCode, TesseraError } from '@tessera/domain';

export type NdjsonLine = { line: number; text: string } | { line: number; tooLong: true };

export interface NdjsonLimits {
  readonly maxLineBytes: number;
  readonly maxTotalBytes: number;
}

/**
 * Splits a byte stream into lines without ever holding more than one line (bounded) in memory.
 * An over-long line is reported, not buffered; blank lines are skipped but still counted.
 */
export async function* ndjsonLines(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, limits: NdjsonLimits): AsyncGenerator<NdjsonLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;
  let lineNo = 0;
  let total = 0;
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    total += chunk.length;
    if (total > limits.maxTotalBytes) {
      throw new TesseraError(
        ErrorCode.PayloadTooLarge,
        `request body exceeds ${Math.round(limits.maxTotalBytes / (1024 * 1024))} MB; lines 1–${lineNo} were processed, send the rest in another request`,
      );
    }
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      lineNo++;
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (discarding || pendingBytes + piece.length > limits.maxLineBytes) {
        discarding = false;
        pending = [];
        pendingBytes = 0;
        yield { line: lineNo, tooLong: true };
        continue;
      }
      const text = Buffer.concat([...pending, piece]).toString('utf8').replace(/\r$/, '');
      pending = [];
      pendingBytes = 0;
      if (text.trim() !== '') yield { line: lineNo, text };
    }
    const rest = chunk.subarray(start);
    if (!discarding && pendingBytes + rest.length > limits.maxLineBytes) {
      discarding = true;
      pending = [];
      pendingBytes = 0;
    } else if (!discarding && rest.length > 0) {
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  }
  if (discarding) yield { line: lineNo + 1, tooLong: true };
  else if (pendingBytes > 0) {
    const text = Buffer.concat(pending).toString('utf8').replace(/\r$/, '');
    if (text.trim() !== '') yield { line: lineNo + 1, text };
  }
}
