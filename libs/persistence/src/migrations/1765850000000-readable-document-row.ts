import { MigrationInterface, QueryRunner } from 'typeorm';

const SCOPE = `
        IF NULLIF(current_setting('tessera.workspace_id', true), '') IS DISTINCT FROM NULL
           AND current_setting('tessera.workspace_id', true) <> ws::text THEN
          RAISE EXCEPTION 'this transaction is scoped to another workspace' USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('tessera.workspace_id', ws::text, true);`;

/**
 * `tessera_readable_document_row`: what `tessera_readable_document` answers, with the document as one
 * jsonb row of `documents` (every column by name) instead of a column list, so a new document column
 * is served without recreating the function. The old function stays for gateways of the previous
 * release during a rolling upgrade.
 */
export class ReadableDocumentRow1765850000000 implements MigrationInterface {
  name = 'ReadableDocumentRow1765850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION tessera_readable_document_row(ws uuid, doc_id text, reader_ids text[], reader_groups text[])
      RETURNS TABLE (generation float8, document jsonb)
      LANGUAGE plpgsql VOLATILE AS $$
      #variable_conflict use_column
      BEGIN
        ${SCOPE}
        RETURN QUERY
        SELECT st.generation::float8, to_jsonb(d)
          FROM workspace_search_stats st
          LEFT JOIN LATERAL (
            SELECT c.* FROM documents c
             WHERE c.workspace_id = ws AND c.external_id = doc_id AND NOT c.quarantined
               AND ((cardinality(c.acl_users) = 0 AND cardinality(c.acl_groups) = 0)
                    OR c.acl_users && reader_ids OR c.acl_groups && reader_groups)
          ) d ON true
         WHERE st.workspace_id = ws;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tessera_readable_document_row(uuid, text, text[], text[])`);
  }
}
