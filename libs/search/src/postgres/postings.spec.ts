import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { analyze, termFrequencies } from '../analysis';
import { documentLockKeys } from './index-locks';
import { buildPostings, decodePostingRecords, postingBlockColumns, postingBlocks, postingBlocksCopyData, type PostingsOfDocument } from './postings';

const WORKSPACE = '3feeefcf-b845-4b73-a856-98ce11420809';

/** The definition the index is tuned on: per-field term frequencies of the analyzed text. */
function expectedPostings(title: string, text: string): Map<string, [number, number]> {
  const expected = new Map<string, [number, number]>();
  for (const [term, tf] of termFrequencies(analyze(title))) expected.set(term, [Math.min(tf, 32_767), 0]);
  for (const [term, tf] of termFrequencies(analyze(text))) expected.set(term, [expected.get(term)?.[0] ?? 0, tf]);
  return expected;
}

function asMap(postings: ReturnType<typeof buildPostings>): Map<string, [number, number]> {
  return new Map(postings.terms.map((term, i) => [term, [postings.tfTitle[i]!, postings.tfBody[i]!]]));
}

type Row = [workspace: string, term: string, docPk: string, titleLength: number, bodyLength: number, tfTitle: number, tfBody: number];

/** Reads COPY binary data of posting blocks back, as PostgreSQL would, into one row per posting. */
function decodeCopyData(data: Buffer, block: string): Row[] {
  assert.equal(data.subarray(0, 11).toString('latin1'), 'PGCOPY\n\xff\r\n\0');
  let o = 19;
  const rows: Row[] = [];
  for (;;) {
    const fields = data.readInt16BE(o);
    o += 2;
    if (fields === -1) break;
    assert.equal(fields, 4);
    const field = () => {
      const length = data.readInt32BE(o);
      const value = data.subarray(o + 4, o + 4 + length);
      o += 4 + length;
      return value;
    };
    const uuid = field().toString('hex');
    const workspace = `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20)}`;
    assert.equal(String(field().readBigInt64BE()), block);
    const term = field().toString('utf8');
    rows.push(...recordsOf(field()).map(([docPk, ...rest]) => [workspace, term, docPk, ...rest] as Row));
  }
  assert.equal(o, data.length, 'nothing after the trailer');
  return rows;
}

/** A block's records, primary keys read exactly (as bigint). */
function recordsOf(records: Buffer): Array<[string, number, number, number, number]> {
  assert.equal(records.length % 22, 0);
  const out: Array<[string, number, number, number, number]> = [];
  for (let at = 0; at < records.length; at += 22) {
    out.push([String(records.readBigInt64BE(at)), records.readInt32BE(at + 14), records.readInt32BE(at + 18), records.readInt16BE(at + 8), records.readInt32BE(at + 10)]);
  }
  return out;
}

describe('postings of a document', () => {
  it('holds the per-field term frequencies of the analyzed title and text, title terms first', () => {
    const title = 'Laptop laptops: ordering a new laptop';
    const text = 'Order a laptop through the IT portal. Laptops are shipped in a week; 東京オフィス and café orders too.';
    const postings = buildPostings({ title, text });
    expect(asMap(postings)).toStrictEqual(expectedPostings(title, text));
    assert.equal(postings.titleLength, analyze(title).length);
    assert.equal(postings.bodyLength, analyze(text).length);
    expect(postings.terms.slice(0, new Set(analyze(title)).size)).toStrictEqual([...new Set(analyze(title))]);
  });

  it('caps a title frequency at what a smallint holds', () => {
    const postings = buildPostings({ title: 'spam '.repeat(40_000), text: 'spam' });
    expect(asMap(postings)).toStrictEqual(new Map([['spam', [32_767, 1]]]));
    assert.equal(postings.titleLength, 40_000);
  });
});


describe('a batch of postings', () => {
  const batch: PostingsOfDocument[] = [
    { docPk: '9007199254740993', postings: buildPostings({ title: 'Zebra migration', text: 'The zebra herd crossed the river; alpha zebra leads.' }) },
    { docPk: '12', postings: buildPostings({ title: 'Alpha plan', text: 'Écoles, crossing and 東京 river notes' }) },
  ];

  const expectedRows = (documents: readonly PostingsOfDocument[]): Row[] =>
    documents.flatMap(({ docPk, postings }) =>
      postings.terms.map((term, i) => [WORKSPACE, term, docPk, postings.titleLength, postings.bodyLength, postings.tfTitle[i]!, postings.tfBody[i]!] as Row));
  const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

  it('encodes as COPY binary rows of one block per term, holding exactly the postings, bigint primary keys intact', () => {
    const blocks = postingBlocks(batch);
    const data = Buffer.concat([...postingBlocksCopyData(WORKSPACE, '9007199254740995', blocks)]);
    expect(sorted(decodeCopyData(data, '9007199254740995'))).toStrictEqual(sorted(expectedRows(batch)));
    assert.deepEqual([...blocks.terms], [...new Set(batch.flatMap((b) => b.postings.terms))].sort(), 'one row per distinct term, in key order');
  });

  it('holds the same records as columns for INSERT, and decodes them back', () => {
    const { terms, postings } = postingBlockColumns(postingBlocks(batch));
    const rows = terms.flatMap((term, g) => recordsOf(postings[g]!).map(([docPk, ...rest]) => [WORKSPACE, term, docPk, ...rest] as Row));
    expect(sorted(rows)).toStrictEqual(sorted(expectedRows(batch)));
    const zebra = decodePostingRecords(postings[terms.indexOf('zebra')]!);
    expect([...zebra.docPks]).toStrictEqual([Number(batch[0]!.docPk)]);
    expect([zebra.tfTitle[0], zebra.tfBody[0], zebra.titleLength[0], zebra.bodyLength[0]]).toStrictEqual([1, 2, batch[0]!.postings.titleLength, batch[0]!.postings.bodyLength]);
    const river = decodePostingRecords(postings[terms.indexOf('river')]!);
    assert.deepEqual([...river.docPks], [Number(batch[0]!.docPk), 12], 'in batch order');
  });

  it('splits large batches into pieces without losing a row', () => {
    const big = Array.from({ length: 40 }, (_, i) => ({
      docPk: String(i + 1),
      postings: buildPostings({ title: `Doc ${i}`, text: Array.from({ length: 3000 }, (_, w) => `w${(w * 7919 + i) % 5000}x`).join(' ') }),
    }));
    const pieces = [...postingBlocksCopyData(WORKSPACE, '1', postingBlocks(big))];
    assert.ok(pieces.length > 1);
    const rows = decodeCopyData(Buffer.concat(pieces), '1');
    assert.equal(rows.length, big.reduce((n, b) => n + b.postings.terms.length, 0));
  });

  it('refuses a workspace id that is not a UUID', () => {
    assert.throws(() => postingBlocksCopyData('not-a-uuid', '1', postingBlocks(batch)), /not a UUID/);
  });
});

describe('document write locks', () => {
  it('are one key per distinct id, ascending, and differ between workspaces', () => {
    const keys = documentLockKeys(WORKSPACE, ['b', 'a', 'b', 'c']);
    assert.equal(keys.length, 3);
    const sorted = [...keys].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    expect(keys).toStrictEqual(sorted);
    expect(documentLockKeys(WORKSPACE, ['c', 'a', 'b'])).toStrictEqual(keys);
    const other = documentLockKeys('00000000-0000-4000-8000-000000000000', ['a', 'b', 'c']);
    assert.equal(other.filter((k) => keys.includes(k)).length, 0);
  });
});
