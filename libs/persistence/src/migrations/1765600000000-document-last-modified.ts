import { MigrationInterface, QueryRunner } from 'typeorm';

const SCOPE = `
        IF NULLIF(current_setting('tessera.workspace_id', true), '') IS DISTINCT FROM NULL
           AND current_setting('tessera.workspace_id', true) <> ws::text THEN
          RAISE EXCEPTION 'this transaction is scoped to another workspace' USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('tessera.workspace_id', ws::text, true);`;

const STATS_COLUMNS = `st.generation::float8, st.doc_count::float8, st.total_title_length::float8, st.total_body_length::float8`;

/** tessera_readable_document (migration 1765296000000) with `extra` columns of the document after its own. */
const readableDocumentFunction = (extraColumns: string, extraSelect: string) => `
      CREATE FUNCTION tessera_readable_document(ws uuid, doc_id text, reader_ids text[], reader_groups text[])
      RETURNS TABLE (generation float8, doc_count float8, total_title_length float8, total_body_length float8,
                     external_id text, title text, text text, url text, metadata jsonb, acl_users text[], acl_groups text[],
                     content_hash text, updated_at timestamptz, flags text[], quarantined boolean${extraColumns})
      LANGUAGE plpgsql VOLATILE AS $$
      #variable_conflict use_column
      BEGIN
        ${SCOPE}
        RETURN QUERY
        SELECT ${STATS_COLUMNS}, d.external_id, d.title, d.text, d.url, d.metadata, d.acl_users, d.acl_groups,
               d.content_hash, d.updated_at, d.flags, d.quarantined${extraSelect}
          FROM workspace_search_stats st
          LEFT JOIN LATERAL (
            SELECT c.* FROM documents c
             WHERE c.workspace_id = ws AND c.external_id = doc_id AND NOT c.quarantined
               AND ((cardinality(c.acl_users) = 0 AND cardinality(c.acl_groups) = 0)
                    OR c.acl_users && reader_ids OR c.acl_groups && reader_groups)
          ) d ON true
         WHERE st.workspace_id = ws;
      END $$`;

/**
 * `documents.last_modified`: when the source last changed, as its owner says (optional). The readable
 * document function returns it after the columns it returned before, so a gateway of the previous
 * release, which reads columns by name, keeps working during a rolling upgrade.
 */
export class DocumentLastModified1765600000000 implements MigrationInterface {
  name = 'DocumentLastModified1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents ADD COLUMN last_modified timestamptz`);
    await q.query(`DROP FUNCTION tessera_readable_document(uuid, text, text[], text[])`);
    await q.query(readableDocumentFunction(', last_modified timestamptz', ', d.last_modified'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tessera_readable_document(uuid, text, text[], text[])`);
    await q.query(readableDocumentFunction('', ''));
    await q.query(`ALTER TABLE documents DROP COLUMN last_modified`);
  }
}
