import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { postingColumns, postingsCopySql, postingsCopyData, type PostingsOfDocument } from './postings';

/**
 * How postings reach their table, fastest first:
 * - `copy`: COPY straight into postings. Heap multi-insert (a fraction of the WAL of row-by-row
 *   inserts), and no array literals to build in JavaScript.
 * - `staged-copy`: where row-level security applies to postings, for which PostgreSQL refuses COPY
 *   FROM: COPY into a temporary table (never WAL-logged), then one INSERT … SELECT, checked by the
 *   policies like any insert (row by row into the heap, so more WAL than `copy`).
 * - `insert`: one multi-row INSERT from arrays, for PGlite, whose socket server drops the connection
 *   on COPY FROM STDIN.
 */
export type PostingsWriteMethod = 'copy' | 'staged-copy' | 'insert';

const STAGING_TABLE = 'tessera_postings_staging';

/** Asked once per backend: neither the server nor the role changes under a data source. */
export async function detectPostingsWriteMethod(db: Pick<DataSource | EntityManager, 'query'>): Promise<PostingsWriteMethod> {
  const [row]: Array<{ version: string; row_security: boolean; temporary: boolean }> = await db.query(
    `SELECT version() AS version, row_security_active('postings') AS row_security,
            has_database_privilege(current_database(), 'TEMPORARY') AS temporary`,
  );
  if (!row || /\bPGlite\b/i.test(row.version)) return 'insert';
  if (!row.row_security) return 'copy';
  return row.temporary ? 'staged-copy' : 'insert';
}

/** Inserts the documents' postings within the entity manager's transaction. */
export async function writePostings(
  em: EntityManager,
  method: PostingsWriteMethod,
  workspaceId: string,
  documents: readonly PostingsOfDocument[],
): Promise<void> {
  if (documents.length === 0) return;
  if (method === 'insert') {
    const c = postingColumns(documents);
    await em.query(
      `INSERT INTO postings (workspace_id, term, doc_pk, tf_title, tf_body, title_length, body_length)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::smallint[], $5::int[], $6::int[], $7::int[])`,
      [workspaceId, c.terms, c.docPks, c.tfTitle, c.tfBody, c.titleLengths, c.bodyLengths],
    );
    return;
  }
  if (!em.queryRunner) throw new Error('postings are copied only inside a transaction');
  // The transaction's own connection, so the rows commit or roll back with the documents.
  const client = (await em.queryRunner.connect()) as ClientBase;
  if (method === 'copy') {
    await pipeline(postingsCopyData(workspaceId, documents), client.query(copyFrom(postingsCopySql('postings'))));
    return;
  }
  // Created once per connection (later calls find it); the rows move out in the same statement.
  await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${STAGING_TABLE} (LIKE postings) ON COMMIT DELETE ROWS`);
  await pipeline(postingsCopyData(workspaceId, documents), client.query(copyFrom(postingsCopySql(STAGING_TABLE))));
  await client.query(`WITH staged AS (DELETE FROM ${STAGING_TABLE} RETURNING *) INSERT INTO postings SELECT * FROM staged`);
}
