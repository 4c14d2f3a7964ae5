import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { NdjsonBatcher, splitBatch, toBatchEntry, toNdjson, type Batch } from './batching';
import type { SourcedDocument } from './types';

function doc(id: string, text = 'x'): SourcedDocument {
  return { document: { id, title: id, text }, source: `${id}.md` };
}

function collect(batcher: NdjsonBatcher, items: SourcedDocument[]): Batch[] {
  const batches: Batch[] = [];
  for (const item of items) {
    const closed = batcher.add(item);
    if (closed) batches.push(closed);
  }
  const last = batcher.flush();
  if (last) batches.push(last);
  return batches;
}

const ids = (batches: Batch[]) => batches.map((batch) => batch.entries.map((entry) => entry.document.id));

describe('NdjsonBatcher', () => {
  it('closes batches at the document count', () => {
    const batches = collect(new NdjsonBatcher({ maxDocuments: 2, maxBytes: 1_000_000 }), ['a', 'b', 'c', 'd', 'e'].map((id) => doc(id)));
    expect(ids(batches)).toStrictEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('closes batches before they exceed the byte budget', () => {
    const lineBytes = toBatchEntry(doc('a', 'x'.repeat(100))).bytes;
    const batcher = new NdjsonBatcher({ maxDocuments: 100, maxBytes: lineBytes * 2 + 5 });
    const batches = collect(batcher, ['a', 'b', 'c', 'd', 'e'].map((id) => doc(id, 'x'.repeat(100))));
    expect(ids(batches)).toStrictEqual([['a', 'b'], ['c', 'd'], ['e']]);
    for (const batch of batches) {
      assert.ok(batch.bytes <= lineBytes * 2 + 5);
      assert.equal(batch.bytes, Buffer.byteLength(toNdjson(batch)));
    }
  });

  it('counts bytes as UTF-8, not characters', () => {
    const entry = toBatchEntry(doc('a', 'é'.repeat(10)));
    assert.equal(entry.bytes, Buffer.byteLength(`${entry.line}\n`, 'utf8'));
    assert.ok(entry.bytes > entry.line.length + 1);
  });

  it('sends a document larger than the budget alone instead of dropping it', () => {
    const batches = collect(new NdjsonBatcher({ maxDocuments: 10, maxBytes: 50 }), [doc('a'), doc('big', 'x'.repeat(500)), doc('c')]);
    expect(ids(batches)).toStrictEqual([['a'], ['big'], ['c']]);
  });

  it('flushes nothing when empty and writes one JSON document per line', () => {
    const batcher = new NdjsonBatcher({ maxDocuments: 10, maxBytes: 1000 });
    assert.equal(batcher.flush(), undefined);
    batcher.add(doc('a'));
    batcher.add(doc('b'));
    const batch = batcher.flush();
    assert.ok(batch);
    const lines = toNdjson(batch).split('\n');
    assert.equal(lines.pop(), '');
    expect(lines.map((line) => JSON.parse(line).id)).toStrictEqual(['a', 'b']);
  });
});

describe('splitBatch', () => {
  it('halves a batch and recomputes the byte sizes', () => {
    const batcher = new NdjsonBatcher({ maxDocuments: 10, maxBytes: 10_000 });
    ['a', 'b', 'c'].forEach((id) => batcher.add(doc(id)));
    const batch = batcher.flush();
    assert.ok(batch);
    const [first, second] = splitBatch(batch);
    expect(ids([first, second])).toStrictEqual([['a', 'b'], ['c']]);
    assert.equal(first.bytes + second.bytes, batch.bytes);
  });
});
