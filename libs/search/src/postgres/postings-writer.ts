import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { lockPostingBlocks } from './index-locks';
import { POSTING_RECORD_OFFSETS } from './posting-record';
import { buildPostings, POSTING_RECORD_BYTES, postingBlockColumns, postingBlocks, postingBlocksCopyData, postingBlocksCopySql, type PostingsOfDocument } from './postings';


const DOC_PK_AT = POSTING_RECORD_OFFSETS.docPk;
/**
 * How posting blocks reach their table, fastest first:
 * - `copy`: COPY straight into posting_blocks. Heap multi-insert (a fraction of the WAL of row-by-row
 *   inserts), and nothing for PostgreSQL to parse as text.
 * - `staged-copy`: where row-level security applies to posting_blocks, for which PostgreSQL refuses
 *   COPY FROM: COPY into a temporary table (never WAL-logged), then one INSERT … SELECT, checked by the
 *   policies like any insert.
 * - `insert`: one multi-row INSERT from arrays, for PGlite, whose socket server drops the connection
 *   on COPY FROM STDIN.
 */
export type PostingsWriteMethod = 'copy' | 'staged-copy' | 'insert';

const STAGING_TABLE = 'tessera_posting_blocks_staging';

/** Asked once per backend: neither the server nor the role changes under a data source. */
export async function detectPostingsWriteMethod(db: Pick<DataSource | EntityManager, 'query'>): Promise<PostingsWriteMethod> {
  const [row]: Array<{ version: string; row_security: boolean; temporary: boolean }> = await db.query(
    `SELECT version() AS version, row_security_active('posting_blocks') AS row_security,
            has_database_privilege(current_database(), 'TEMPORARY') AS temporary`,
  );
  if (!row || /\bPGlite\b/i.test(row.version)) return 'insert';
  if (!row.row_security) return 'copy';
  return row.temporary ? 'staged-copy' : 'insert';
}

/** A new block number, for one write's postings (and the documents written with them). */
export async function newPostingBlock(em: EntityManager): Promise<string> {
  const [row]: Array<{ block: string }> = await em.query(`SELECT nextval('posting_block_seq')::text AS block`);
  return row!.block;
}

/** Inserts the documents' postings as block `block` within the entity manager's transaction. */
export async function writePostings(
  em: EntityManager,
  method: PostingsWriteMethod,
  workspaceId: string,
  block: string,
  documents: readonly PostingsOfDocument[],
): Promise<void> {
  if (documents.length === 0) return;
  const blocks = postingBlocks(documents);
  if (blocks.terms.length === 0) return;
  if (method === 'insert') {
    const c = postingBlockColumns(blocks);
    await em.query(
      `INSERT INTO posting_blocks (workspace_id, block, term, postings)
       SELECT $1, $2, * FROM unnest($3::text[], $4::bytea[])`,
      [workspaceId, block, c.terms, c.postings],
    );
    return;
  }
  if (!em.queryRunner) throw new Error('postings are copied only inside a transaction');
  // The transaction's own connection, so the rows commit or roll back with the documents.
  const client = (await em.queryRunner.connect()) as ClientBase;
  if (method === 'copy') {
    await pipeline(postingBlocksCopyData(workspaceId, block, blocks), client.query(copyFrom(postingBlocksCopySql('posting_blocks'))));
    return;
  }
  // Created once per connection (later calls find it) and emptied at every commit; emptied first too, in
  // case of an earlier write in this transaction (TRUNCATE costs the same whatever it holds, DELETE a row's work per row).
  await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${STAGING_TABLE} (LIKE posting_blocks) ON COMMIT DELETE ROWS`);
  await client.query(`TRUNCATE ${STAGING_TABLE}`);
  await pipeline(postingBlocksCopyData(workspaceId, block, blocks), client.query(copyFrom(postingBlocksCopySql(STAGING_TABLE))));
  await client.query(`INSERT INTO posting_blocks SELECT * FROM ${STAGING_TABLE}`);
}

/** A replaced or deleted document as stored: its text is analyzed again to find its postings. */
export interface StoredDocumentText {
  readonly pk: string;
  readonly title: string;
  readonly text: string;
  /** The block its postings were written in. */
  readonly block: string;
  /** Postings written with it; null when not known (stored before it was counted). */
  readonly termCount: number | null;
}

interface BlockRow {
  term: string;
  block: string;
  postings: Buffer;
}

/**
 * Removes the documents' postings within the entity manager's transaction: each term's block (found
 * from the document's stored text, analyzed again) is rewritten without the document's record, or
 * deleted when that was its last. When that does not find as many records as were written (the
 * analyzer changed since, or the count is unknown), every row of the documents' blocks is looked at,
 * so none is ever left behind. The blocks are locked first (lockPostingBlocks), so two removals
 * from one block run one after the other and never deadlock on its rows.
 */
export async function deletePostings(em: EntityManager, workspaceId: string, documents: readonly StoredDocumentText[]): Promise<void> {
  if (documents.length === 0) return;
  await lockPostingBlocks(em, workspaceId, documents.map((d) => d.block));
  const pkBytes = new Map(documents.map((d) => [recordKey(d.pk), String(d.pk)]));
  const keys = new Map<string, { term: string; block: string }>();
  for (const d of documents) {
    for (const term of buildPostings(d).terms) keys.set(`${term}\u0000${d.block}`, { term, block: d.block });
  }
  const terms = [...keys.values()].map((k) => k.term);
  const blocks = [...keys.values()].map((k) => k.block);
  // One primary-key lookup per block. Sized by its arrays, the planner would rather hash the
  // workspace's whole table (seconds, growing with the workspace), so joins other than nested loops
  // are off for these statements, then set back.
  const [saved]: Array<{ hashjoin: string; mergejoin: string }> = await em.query(
    `SELECT current_setting('enable_hashjoin') AS hashjoin, current_setting('enable_mergejoin') AS mergejoin,
            set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`,
  );
  const rows: BlockRow[] = await em.query(
    `SELECT b.term, b.block::text AS block, b.postings
       FROM unnest($2::text[], $3::bigint[]) AS k(term, block)
       JOIN posting_blocks b ON b.workspace_id = $1 AND b.term = k.term AND b.block = k.block
      ORDER BY b.term, b.block
        FOR UPDATE OF b`,
    [workspaceId, terms, blocks],
  );
  const removed = await removeRecords(em, workspaceId, rows, pkBytes);
  const missed = documents.filter((d) => d.termCount === null || (removed.get(String(d.pk)) ?? 0) !== d.termCount);
  if (missed.length > 0) {
    // Every row of the missed documents' blocks (the workspace's rows, filtered: a rare case).
    const scanned: BlockRow[] = await em.query(
      `SELECT term, block::text AS block, postings FROM posting_blocks
        WHERE workspace_id = $1 AND block = ANY($2::bigint[])
        ORDER BY term, block
          FOR UPDATE`,
      [workspaceId, [...new Set(missed.map((d) => d.block))]],
    );
    await removeRecords(em, workspaceId, scanned, new Map(missed.map((d) => [recordKey(d.pk), String(d.pk)])));
  }
  await em.query(`SELECT set_config('enable_hashjoin', $1, true), set_config('enable_mergejoin', $2, true)`, [saved!.hashjoin, saved!.mergejoin]);
}

/**
 * Rewrites each row without the records of the given documents (keyed by their primary key's bytes),
 * deleting rows left empty; returns how many records each document had.
 */
async function removeRecords(em: EntityManager, workspaceId: string, rows: readonly BlockRow[], pks: ReadonlyMap<string, string>): Promise<Map<string, number>> {
  const removed = new Map<string, number>();
  const kept = { terms: [] as string[], blocks: [] as string[], postings: [] as Buffer[] };
  const emptied = { terms: [] as string[], blocks: [] as string[] };
  for (const row of rows) {
    const records = row.postings;
    const keep: Buffer[] = [];
    let dropped = 0;
    for (let at = 0; at + POSTING_RECORD_BYTES <= records.length; at += POSTING_RECORD_BYTES) {
      const pk = pks.get(records.toString('latin1', at + DOC_PK_AT, at + DOC_PK_AT + 8));
      if (pk === undefined) keep.push(records.subarray(at, at + POSTING_RECORD_BYTES));
      else {
        dropped++;
        removed.set(pk, (removed.get(pk) ?? 0) + 1);
      }
    }
    if (dropped === 0) continue;
    if (keep.length === 0) {
      emptied.terms.push(row.term);
      emptied.blocks.push(row.block);
    } else {
      kept.terms.push(row.term);
      kept.blocks.push(row.block);
      kept.postings.push(Buffer.concat(keep));
    }
  }
  if (kept.terms.length > 0) {
    await em.query(
      `UPDATE posting_blocks b SET postings = u.postings
         FROM unnest($2::text[], $3::bigint[], $4::bytea[]) AS u(term, block, postings)
        WHERE b.workspace_id = $1 AND b.term = u.term AND b.block = u.block`,
      [workspaceId, kept.terms, kept.blocks, kept.postings],
    );
  }
  if (emptied.terms.length > 0) {
    await em.query(
      `DELETE FROM posting_blocks b USING unnest($2::text[], $3::bigint[]) AS u(term, block)
        WHERE b.workspace_id = $1 AND b.term = u.term AND b.block = u.block`,
      [workspaceId, emptied.terms, emptied.blocks],
    );
  }
  return removed;
}

/** A primary key as its record's doc_pk bytes (int8, big-endian; see posting-record.ts), as a string to look up. */
function recordKey(pk: string): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(pk));
  return bytes.toString('latin1');
}
