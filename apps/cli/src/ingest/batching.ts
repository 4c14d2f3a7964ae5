import type { SourcedDocument } from './types';

/**
 * Groups documents into NDJSON request bodies. The server rejects bodies over
 * ~10 MB with 413, so batches close at a document count or a byte budget
 * well below that, whichever comes first.
 */

export interface BatchLimits {
  maxDocuments: number;
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = {
  maxDocuments: 200,
  maxBytes: 4 * 1024 * 1024,
};

export interface BatchEntry extends SourcedDocument {
  /** The serialized NDJSON line, without the trailing newline. */
  line: string;
  /** UTF-8 size of the line including its newline. */
  bytes: number;
}

export interface Batch {
  entries: BatchEntry[];
  bytes: number;
}

export function toBatchEntry(item: SourcedDocument): BatchEntry {
  const line = JSON.stringify(item.document);
  return { ...item, line, bytes: Buffer.byteLength(line, 'utf8') + 1 };
}

export function toNdjson(batch: Batch): string {
  return batch.entries.map((entry) => `${entry.line}\n`).join('');
}

export class NdjsonBatcher {
  private current: Batch = { entries: [], bytes: 0 };

  constructor(private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS) {}

  /**
   * Adds a document and returns the batch it closed, if any. A single
   * document larger than the byte budget still travels, alone in its batch.
   */
  add(item: SourcedDocument): Batch | undefined {
    const entry = toBatchEntry(item);
    let closed: Batch | undefined;
    const wouldOverflow =
      this.current.entries.length >= this.limits.maxDocuments || this.current.bytes + entry.bytes > this.limits.maxBytes;
    if (this.current.entries.length > 0 && wouldOverflow) {
      closed = this.current;
      this.current = { entries: [], bytes: 0 };
    }
    this.current.entries.push(entry);
    this.current.bytes += entry.bytes;
    return closed;
  }

  /** Returns whatever is left, or undefined when empty. */
  flush(): Batch | undefined {
    if (this.current.entries.length === 0) return undefined;
    const closed = this.current;
    this.current = { entries: [], bytes: 0 };
    return closed;
  }
}

/** Used after a 413: halves can be retried independently. */
export function splitBatch(batch: Batch): [Batch, Batch] {
  const middle = Math.ceil(batch.entries.length / 2);
  const halves = [batch.entries.slice(0, middle), batch.entries.slice(middle)];
  const [first, second] = halves.map((entries) => ({
    entries,
    bytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
  }));
  return [first, second];
}
