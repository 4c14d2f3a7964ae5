import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops the index of postings by document, about a quarter of ingestion's WAL (one more B-tree
 * insertion per posting, ~900 per document). A replaced or deleted document's postings are removed by
 * the primary key instead, from its terms (its stored text analyzed again); `term_count`, the number of
 * postings written with the document, tells whether that found them all (NULL: unknown, which the
 * writer treats like a mismatch: it then scans the workspace's postings for the document).
 *
 * Existing documents are counted workspace by workspace, each in its own row-security scope: FORCE
 * stays on throughout.
 */
export class PostingsWithoutDocumentIndex1765400000000 implements MigrationInterface {
  name = 'PostingsWithoutDocumentIndex1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents ADD COLUMN term_count integer`);
    const workspaces: Array<{ id: string }> = await q.query(`SELECT id FROM workspaces`);
    for (const { id } of workspaces) {
      await q.query(`SELECT set_config('tessera.workspace_id', $1, true)`, [id]);
      await q.query(
        `UPDATE documents d SET term_count = COALESCE((SELECT count(*) FROM postings p WHERE p.doc_pk = d.pk AND p.workspace_id = $1), 0)
          WHERE d.workspace_id = $1`,
        [id],
      );
    }
    await q.query(`SELECT set_config('tessera.workspace_id', '', true)`);
    await q.query(`DROP INDEX postings_doc_pk_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX postings_doc_pk_idx ON postings (doc_pk)`);
    await q.query(`ALTER TABLE documents DROP COLUMN term_count`);
  }
}
