/**
 * The posting record: one document's entry in a term's block (`posting_blocks.postings`), fixed
 * width, big-endian. This list is its one definition: the writer (postings.ts), the reader
 * (decodePostingRecords), the record removal (postings-writer.ts) and the SQL that builds records
 * (postingRecordSql) take their offsets from it, and a test checks the migrations' SQL against it
 * (test/integration/posting-record-format.test.ts). Changing it means a migration that rewrites
 * every block.
 */
export const POSTING_RECORD_FIELDS = [
  { name: 'docPk', column: 'doc_pk', type: 'int8', bytes: 8 },
  { name: 'tfTitle', column: 'tf_title', type: 'int2', bytes: 2 },
  { name: 'tfBody', column: 'tf_body', type: 'int4', bytes: 4 },
  { name: 'titleLength', column: 'title_length', type: 'int4', bytes: 4 },
  { name: 'bodyLength', column: 'body_length', type: 'int4', bytes: 4 },
] as const;

type FieldName = (typeof POSTING_RECORD_FIELDS)[number]['name'];

/** Each field's byte offset within a record. */
export const POSTING_RECORD_OFFSETS = (() => {
  const offsets = {} as Record<FieldName, number>;
  let at = 0;
  for (const field of POSTING_RECORD_FIELDS) {
    offsets[field.name] = at;
    at += field.bytes;
  }
  return offsets as Readonly<Record<FieldName, number>>;
})();

export const POSTING_RECORD_BYTES = POSTING_RECORD_FIELDS.reduce((sum, field) => sum + field.bytes, 0);

/** SQL building one record from the columns of `alias` (named as POSTING_RECORD_FIELDS' columns). */
export function postingRecordSql(alias: string): string {
  return POSTING_RECORD_FIELDS.map((field) => `${field.type}send(${alias}.${field.column})`).join(' || ');
}

export interface PostingRecord {
  readonly docPk: string | bigint;
  readonly tfTitle: number;
  readonly tfBody: number;
  readonly titleLength: number;
  readonly bodyLength: number;
}

/** Writes one record at `at` (the writer's template for each document of a batch). */
export function writePostingRecord(target: Buffer, at: number, record: PostingRecord): void {
  const o = POSTING_RECORD_OFFSETS;
  target.writeBigInt64BE(BigInt(record.docPk), at + o.docPk);
  target.writeInt16BE(record.tfTitle, at + o.tfTitle);
  target.writeInt32BE(record.tfBody, at + o.tfBody);
  target.writeInt32BE(record.titleLength, at + o.titleLength);
  target.writeInt32BE(record.bodyLength, at + o.bodyLength);
}
