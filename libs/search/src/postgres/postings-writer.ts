import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { buildPostings, forEachPostingInKeyOrder, postingColumns, postingsCopySql, postingsCopyData, type PostingsOfDocument } from './postings';

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
  // Created once per connection (later calls find it) and emptied at every commit; emptied first too, in
  // case of an earlier write in this transaction (TRUNCATE costs the same whatever it holds, DELETE a row's work per row).
  await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS ${STAGING_TABLE} (LIKE postings) ON COMMIT DELETE ROWS`);
  await client.query(`TRUNCATE ${STAGING_TABLE}`);
  await pipeline(postingsCopyData(workspaceId, documents), client.query(copyFrom(postingsCopySql(STAGING_TABLE))));
  await client.query(`INSERT INTO postings SELECT * FROM ${STAGING_TABLE}`);
}

/** A replaced or deleted document as stored: its text is analyzed again to find its postings. */
export interface StoredDocumentText {
  readonly pk: string;
  readonly title: string;
  readonly text: string;
  /** Postings written with it; null when not known (stored before it was counted). */
  readonly termCount: number | null;
}

/**
 * Removes the documents' postings within the entity manager's transaction, by primary key: their
 * terms come from analyzing the stored text again. When that does not find as many postings as were
 * written (the analyzer changed since, or the count is unknown), the workspace's postings are
 * scanned for those documents, so none is ever left behind.
 */
export async function deletePostings(em: EntityManager, workspaceId: string, documents: readonly StoredDocumentText[]): Promise<void> {
  if (documents.length === 0) return;
  const stored = documents.map((d) => ({ docPk: String(d.pk), postings: buildPostings(d) }));
  const terms: string[] = [];
  const docPks: string[] = [];
  forEachPostingInKeyOrder(stored, (term, d) => {
    terms.push(term);
    docPks.push(stored[d]!.docPk);
  });
  // One primary-key lookup per posting. Sized by its arrays, the planner would rather hash the
  // workspace's whole postings table (seconds, growing with the workspace), so joins other than
  // nested loops are off for this statement, then set back.
  const [saved]: Array<{ hashjoin: string; mergejoin: string }> = await em.query(
    `SELECT current_setting('enable_hashjoin') AS hashjoin, current_setting('enable_mergejoin') AS mergejoin,
            set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`,
  );
  const removed: Array<{ doc_pk: string; n: number }> = await em.query(
    `WITH removed AS (
       DELETE FROM postings p USING unnest($2::text[], $3::bigint[]) AS o(term, doc_pk)
        WHERE p.workspace_id = $1 AND p.term = o.term AND p.doc_pk = o.doc_pk
       RETURNING p.doc_pk)
     SELECT doc_pk::text AS doc_pk, count(*)::int AS n FROM removed GROUP BY doc_pk`,
    [workspaceId, terms, docPks],
  );
  await em.query(`SELECT set_config('enable_hashjoin', $1, true), set_config('enable_mergejoin', $2, true)`, [saved!.hashjoin, saved!.mergejoin]);
  const removedOf = new Map(removed.map((r) => [String(r.doc_pk), Number(r.n)]));
  const missed = documents.filter((d) => d.termCount === null || (removedOf.get(String(d.pk)) ?? 0) !== d.termCount).map((d) => String(d.pk));
  if (missed.length > 0) await em.query(`DELETE FROM postings WHERE workspace_id = $1 AND doc_pk = ANY($2::bigint[])`, [workspaceId, missed]);
}
