/**
 * The posting record has one definition (libs/search/src/postgres/posting-record.ts). The TypeScript
 * writer and reader take their offsets from it; this checks that SQL built from it writes the very
 * bytes the writer writes and the reader reads back, on PostgreSQL and PGlite, and that the frozen
 * migrations that build and take apart records (1765500000000) say what the definition says. It
 * fails when any of them disagrees.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Database } from '@tessera/persistence';
import { decodePostingRecords } from '../../libs/search/src/postgres/postings';
import {
  POSTING_RECORD_BYTES,
  POSTING_RECORD_FIELDS,
  POSTING_RECORD_OFFSETS,
  postingRecordSql,
  writePostingRecord,
  type PostingRecord,
} from '../../libs/search/src/postgres/posting-record';
import { openTestDatabase, type DatabaseKind } from '../support/database-harness';

const RECORDS: PostingRecord[] = [
  { docPk: '9007199254740991', tfTitle: 32_767, tfBody: 2_147_483_647, titleLength: 40_000, bodyLength: 1 },
  { docPk: '1', tfTitle: 0, tfBody: 3, titleLength: 0, bodyLength: 123_456 },
  { docPk: '-42', tfTitle: 1, tfBody: 0, titleLength: 7, bodyLength: 0 }, // migrated blocks have negative numbers; records never do, but the format allows them
];

const MIGRATION = readFileSync(join(__dirname, '../../libs/persistence/src/migrations/1765500000000-posting-blocks.ts'), 'utf8');

describe('posting record format: one definition', () => {
  it('is 22 bytes of consecutive fields', () => {
    assert.equal(POSTING_RECORD_BYTES, 22);
    let at = 0;
    for (const field of POSTING_RECORD_FIELDS) {
      assert.equal(POSTING_RECORD_OFFSETS[field.name], at, field.name);
      at += field.bytes;
    }
  });

  it('is what the posting-blocks migration builds records with, and takes them apart by', () => {
    assert.ok(MIGRATION.includes(postingRecordSql('p')), 'the migration builds records as postingRecordSql does');
    const fields = [...MIGRATION.matchAll(/\$\{field\((\d+), (\d+)\)\}/g)].map((m) => [Number(m[1]), Number(m[2])]);
    assert.deepEqual(fields, POSTING_RECORD_FIELDS.map((f) => [POSTING_RECORD_OFFSETS[f.name], f.bytes]), 'the migration reads the fields at their offsets');
    assert.ok(MIGRATION.includes(`generate_series(0, length(b.postings) - ${POSTING_RECORD_BYTES}, ${POSTING_RECORD_BYTES})`), 'and steps by the record size');
  });
});

for (const kind of ['postgres', 'pglite'] as DatabaseKind[]) {
  describe(`posting record format in SQL (${kind})`, () => {
    let database: Database;
    let close: () => Promise<void>;
    beforeAll(async () => ({ database, close } = await openTestDatabase(kind)));
    afterAll(async () => close?.());

    it('builds from the definition the bytes the writer writes, which the reader reads back', async () => {
      const values = RECORDS.flatMap((r) => [r.docPk, r.tfTitle, r.tfBody, r.titleLength, r.bodyLength]);
      const rows = RECORDS.map((_, i) => `($${5 * i + 1}::int8, $${5 * i + 2}::int2, $${5 * i + 3}::int4, $${5 * i + 4}::int4, $${5 * i + 5}::int4)`);
      const [{ records }] = (await database.dataSource.query(
        `SELECT string_agg(${postingRecordSql('r')}, ''::bytea ORDER BY n) AS records
           FROM (SELECT *, row_number() OVER () AS n FROM (VALUES ${rows.join(', ')}) AS v(doc_pk, tf_title, tf_body, title_length, body_length)) r`,
        values,
      )) as Array<{ records: Buffer }>;
      const written = Buffer.alloc(RECORDS.length * POSTING_RECORD_BYTES);
      RECORDS.forEach((record, i) => writePostingRecord(written, i * POSTING_RECORD_BYTES, record));
      expect(records).toStrictEqual(written);
      const read = decodePostingRecords(records);
      expect([...read.docPks]).toStrictEqual(RECORDS.map((r) => Number(r.docPk)));
      expect([...read.tfTitle]).toStrictEqual(RECORDS.map((r) => r.tfTitle));
      expect([...read.tfBody]).toStrictEqual(RECORDS.map((r) => r.tfBody));
      expect([...read.titleLength]).toStrictEqual(RECORDS.map((r) => r.titleLength));
      expect([...read.bodyLength]).toStrictEqual(RECORDS.map((r) => r.bodyLength));
    });
  });
}
