import { analyze } from '../analysis';
import type { IndexableDocument } from '../search-backend.port';
import { POSTING_RECORD_BYTES, POSTING_RECORD_OFFSETS, writePostingRecord } from './posting-record';

export { POSTING_RECORD_BYTES } from './posting-record';

const { docPk: DOC_PK_AT, tfTitle: TF_TITLE_AT, tfBody: TF_BODY_AT, titleLength: TITLE_LENGTH_AT, bodyLength: BODY_LENGTH_AT } = POSTING_RECORD_OFFSETS;

/** What the postings table holds for one document. */
export interface DocumentPostings {
  readonly titleLength: number;
  readonly bodyLength: number;
  /** Distinct terms: the title's in first-occurrence order, then the body's other terms. */
  readonly terms: readonly string[];
  /** Per term (same index): occurrences in the title and in the body. */
  readonly tfTitle: readonly number[];
  readonly tfBody: readonly number[];
}

/** A document's postings and the primary key of its row in `documents`. */
export interface PostingsOfDocument {
  readonly docPk: string;
  readonly postings: DocumentPostings;
}

const MAX_TITLE_TF = 32_767; // smallint

/** Parallel arrays rather than a map of pairs: ingestion builds ~900 of these per document. */
export function buildPostings(document: Pick<IndexableDocument, 'title' | 'text'>): DocumentPostings {
  const titleTerms = analyze(document.title);
  const bodyTerms = analyze(document.text);
  const slotOf = new Map<string, number>();
  const terms: string[] = [];
  const tfTitle: number[] = [];
  const tfBody: number[] = [];
  for (const term of titleTerms) {
    const slot = slotOf.get(term);
    if (slot !== undefined) tfTitle[slot]!++;
    else {
      slotOf.set(term, terms.length);
      terms.push(term);
      tfTitle.push(1);
      tfBody.push(0);
    }
  }
  for (const term of bodyTerms) {
    const slot = slotOf.get(term);
    if (slot !== undefined) tfBody[slot]!++;
    else {
      slotOf.set(term, terms.length);
      terms.push(term);
      tfTitle.push(0);
      tfBody.push(1);
    }
  }
  for (let i = 0; i < tfTitle.length; i++) if (tfTitle[i]! > MAX_TITLE_TF) tfTitle[i] = MAX_TITLE_TF;
  return { titleLength: titleTerms.length, bodyLength: bodyTerms.length, terms, tfTitle, tfBody };
}

/*
 * One write's postings are stored as blocks: one row per term (`posting_blocks`, keyed by workspace,
 * term and block), whose `postings` hold that term's records for every document of the write, one
 * fixed-width record each (posting-record.ts), in the write's document order. A document of ~900
 * distinct terms thus adds a few hundred rows rather than ~900 (a 200-document batch of the benchmark
 * corpus: ~31,000 rows instead of ~177,000), each one index entry: most of ingestion's database work.
 * Search reads a term's blocks concatenated (tessera_term_posting_blocks).
 */

/** The batch's documents and its terms in key order, ready to write as blocks. */
export interface PostingBlocks {
  readonly terms: readonly string[];
  /** Postings per term, same index. */
  readonly counts: readonly number[];
  /** Writes term `g`'s records at `at` in `target`; returns the offset after them. */
  writeRecords(g: number, target: Buffer, at: number): number;
}

/** The batch as blocks: its distinct terms (sorted by UTF-16 code units, byte order for all but astral characters) and each one's records. */
export function postingBlocks(documents: readonly PostingsOfDocument[]): PostingBlocks {
  const order = keyOrder(documents);
  // Per document, its record with both frequencies zero: a posting copies it and sets them.
  const templates = documents.map(({ docPk, postings }) => {
    const record = Buffer.alloc(POSTING_RECORD_BYTES);
    writePostingRecord(record, 0, { docPk, tfTitle: 0, tfBody: 0, titleLength: postings.titleLength, bodyLength: postings.bodyLength });
    return record;
  });
  return {
    terms: order.terms,
    counts: order.counts,
    writeRecords(g, target, at) {
      for (let p = order.first[g]!; p !== -1; p = order.next[p]!) {
        const d = order.documentOf[p]!;
        const slot = order.slotOf[p]!;
        const { tfTitle, tfBody } = documents[d]!.postings;
        target.set(templates[d]!, at);
        const tf = tfTitle[slot]!;
        target[at + TF_TITLE_AT] = tf >>> 8;
        target[at + TF_TITLE_AT + 1] = tf;
        writeInt32(target, at + TF_BODY_AT, tfBody[slot]!);
        at += POSTING_RECORD_BYTES;
      }
      return at;
    },
  };
}

/**
 * The batch's distinct terms, sorted, each with its number of postings and the chain of them in
 * document order: `first[i]` starts the chain of `terms[i]`, `next` continues it (-1 ends it), and
 * each posting is slot `slotOf[p]` of document `documentOf[p]`. No array per term: a batch has
 * ~30,000 of them.
 */
function keyOrder(documents: readonly PostingsOfDocument[]) {
  let total = 0;
  for (const { postings } of documents) total += postings.terms.length;
  const groupOfTerm = new Map<string, number>();
  const groupTerms: string[] = [];
  const groupFirst: number[] = [];
  const groupLast: number[] = [];
  const groupCount: number[] = [];
  const next = new Int32Array(total);
  const documentOf = new Int32Array(total);
  const slotOf = new Int32Array(total);
  let posting = 0;
  for (let d = 0; d < documents.length; d++) {
    const { terms } = documents[d]!.postings;
    for (let slot = 0; slot < terms.length; slot++, posting++) {
      const term = terms[slot]!;
      const group = groupOfTerm.get(term);
      if (group === undefined) {
        groupOfTerm.set(term, groupTerms.length);
        groupTerms.push(term);
        groupFirst.push(posting);
        groupLast.push(posting);
        groupCount.push(1);
      } else {
        next[groupLast[group]!] = posting;
        groupLast[group] = posting;
        groupCount[group]!++;
      }
      next[posting] = -1;
      documentOf[posting] = d;
      slotOf[posting] = slot;
    }
  }
  const terms = groupTerms.sort();
  const groupOf = terms.map((term) => groupOfTerm.get(term)!);
  return { terms, counts: groupOf.map((g) => groupCount[g]!), first: groupOf.map((g) => groupFirst[g]!), next, documentOf, slotOf };
}

/** COPY in binary format: no number, UUID or bytea text for PostgreSQL to parse. */
export function postingBlocksCopySql(table: string): string {
  return `COPY ${table} (workspace_id, block, term, postings) FROM STDIN (FORMAT binary)`;
}

const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]); // signature, flags, no extension
const COPY_TRAILER = Buffer.from([0xff, 0xff]);
const PREFIX_BYTES = 2 + (4 + 16) + (4 + 8);
const PIECE_BYTES = 256 * 1024;

/**
 * The batch's blocks as COPY binary data (postingBlocksCopySql's columns), in pieces of about 256 KB,
 * encoded as they are read: PostgreSQL parses a piece while the next one is encoded.
 */
export function postingBlocksCopyData(workspaceId: string, block: string, blocks: PostingBlocks): Iterable<Buffer> {
  const workspace = Buffer.from(workspaceId.replace(/-/g, ''), 'hex');
  if (workspace.length !== 16) throw new Error(`not a UUID: ${workspaceId}`);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  let o = prefix.writeInt16BE(4, 0);
  o = prefix.writeInt32BE(16, o);
  o += workspace.copy(prefix, o);
  o = prefix.writeInt32BE(8, o);
  prefix.writeBigInt64BE(BigInt(block), o);
  return encodeCopyRows(prefix, blocks);
}

function* encodeCopyRows(prefix: Buffer, blocks: PostingBlocks): Generator<Buffer> {
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let o = COPY_HEADER.copy(piece, 0);
  for (let g = 0; g < blocks.terms.length; g++) {
    const term = blocks.terms[g]!;
    const recordBytes = blocks.counts[g]! * POSTING_RECORD_BYTES;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const rowBytes = PREFIX_BYTES + 4 + 3 * term.length + 4 + recordBytes;
    if (o + rowBytes > piece.length) {
      yield piece.subarray(0, o);
      piece = Buffer.allocUnsafe(Math.max(PIECE_BYTES, rowBytes));
      o = 0;
    }
    o += prefix.copy(piece, o);
    const termBytes = piece.write(term, o + 4, 'utf8');
    o = writeInt32(piece, o, termBytes) + termBytes;
    o = writeInt32(piece, o, recordBytes);
    o = blocks.writeRecords(g, piece, o);
  }
  if (o + COPY_TRAILER.length > piece.length) {
    yield piece.subarray(0, o);
    piece = Buffer.allocUnsafe(COPY_TRAILER.length);
    o = 0;
  }
  o += COPY_TRAILER.copy(piece, o);
  yield piece.subarray(0, o);
}

/** Big-endian, without Buffer.writeInt32BE's range checks; returns the next offset. */
function writeInt32(target: Buffer, at: number, value: number): number {
  target[at] = value >>> 24;
  target[at + 1] = value >>> 16;
  target[at + 2] = value >>> 8;
  target[at + 3] = value;
  return at + 4;
}

/** Each block's records as a buffer of its own, for one INSERT … SELECT FROM unnest(…) where COPY is not available. */
export function postingBlockColumns(blocks: PostingBlocks): { terms: readonly string[]; postings: Buffer[] } {
  const postings = blocks.terms.map((_, g) => {
    const records = Buffer.allocUnsafe(blocks.counts[g]! * POSTING_RECORD_BYTES);
    blocks.writeRecords(g, records, 0);
    return records;
  });
  return { terms: blocks.terms, postings };
}

/** Records decoded into parallel arrays (primary keys as numbers: exact below 2^53). */
export interface DecodedPostings {
  readonly docPks: Float64Array;
  readonly tfTitle: Int32Array;
  readonly tfBody: Int32Array;
  readonly titleLength: Int32Array;
  readonly bodyLength: Int32Array;
}

export function decodePostingRecords(records: Buffer): DecodedPostings {
  const count = Math.floor(records.length / POSTING_RECORD_BYTES);
  const docPks = new Float64Array(count);
  const tfTitle = new Int32Array(count);
  const tfBody = new Int32Array(count);
  const titleLength = new Int32Array(count);
  const bodyLength = new Int32Array(count);
  for (let i = 0, at = 0; i < count; i++, at += POSTING_RECORD_BYTES) {
    docPks[i] = records.readInt32BE(at + DOC_PK_AT) * 4_294_967_296 + records.readUInt32BE(at + DOC_PK_AT + 4);
    tfTitle[i] = records.readInt16BE(at + TF_TITLE_AT);
    tfBody[i] = records.readInt32BE(at + TF_BODY_AT);
    titleLength[i] = records.readInt32BE(at + TITLE_LENGTH_AT);
    bodyLength[i] = records.readInt32BE(at + BODY_LENGTH_AT);
  }
  return { docPks, tfTitle, tfBody, titleLength, bodyLength };
}
