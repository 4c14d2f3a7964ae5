import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's hot reads as functions that open their workspace's row-security scope themselves
 * (set_config(…, true) lasts until the end of the calling statement's transaction) and then read,
 * in that order: one round trip, one cached plan, instead of BEGIN + set_config, the read, and
 * COMMIT. They are SECURITY INVOKER (the default), so the caller's row-level security applies to
 * what they read, and every read also names its workspace explicitly. Inside a transaction already
 * scoped to another workspace they refuse, rather than move the rest of that transaction.
 */
const SCOPE = `
        IF NULLIF(current_setting('tessera.workspace_id', true), '') IS DISTINCT FROM NULL
           AND current_setting('tessera.workspace_id', true) <> ws::text THEN
          RAISE EXCEPTION 'this transaction is scoped to another workspace' USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('tessera.workspace_id', ws::text, true);`;

export class WorkspaceScopedReads1765209600000 implements MigrationInterface {
  name = 'WorkspaceScopedReads1765209600000';

  async up(q: QueryRunner): Promise<void> {
    // One document by its id; with a reader, only when readable (not quarantined, ACL allows).
    await q.query(`
      CREATE FUNCTION tessera_document(ws uuid, doc_id text, reader_ids text[], reader_groups text[])
      RETURNS SETOF documents LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        ${SCOPE}
        RETURN QUERY SELECT d.* FROM documents d
         WHERE d.workspace_id = ws AND d.external_id = doc_id
           AND (reader_ids IS NULL OR (NOT d.quarantined
                AND ((cardinality(d.acl_users) = 0 AND cardinality(d.acl_groups) = 0)
                     OR d.acl_users && reader_ids OR d.acl_groups && reader_groups)));
      END $$`);
    // Each term's postings packed as fixed-width binary records, with the statistics of the same snapshot.
    await q.query(`
      CREATE FUNCTION tessera_term_postings(ws uuid, terms text[])
      RETURNS TABLE (generation float8, doc_count float8, total_title_length float8, total_body_length float8, term text, packed bytea)
      LANGUAGE plpgsql VOLATILE AS $$
      #variable_conflict use_column
      BEGIN
        ${SCOPE}
        RETURN QUERY
        SELECT st.generation::float8, st.doc_count::float8, st.total_title_length::float8, st.total_body_length::float8,
               q.term, p.packed
          FROM workspace_search_stats st
         CROSS JOIN unnest(terms) AS q(term)
         CROSS JOIN LATERAL (
           SELECT string_agg(float8send(x.doc_pk::float8) || int2send(x.tf_title) || int4send(x.tf_body)
                             || int4send(x.title_length) || int4send(x.body_length), ''::bytea) AS packed
             FROM postings x WHERE x.workspace_id = ws AND x.term = q.term
         ) p
         WHERE st.workspace_id = ws;
      END $$`);
    // The readable ones among candidate documents, with the index generation of the same snapshot
    // (one row with NULL document columns when none is readable; none without statistics).
    await q.query(`
      CREATE FUNCTION tessera_readable_candidates(ws uuid, pks bigint[], reader_ids text[], reader_groups text[])
      RETURNS TABLE (generation float8, pk float8, id text, title text, url text)
      LANGUAGE plpgsql VOLATILE AS $$
      #variable_conflict use_column
      BEGIN
        ${SCOPE}
        RETURN QUERY
        SELECT st.generation::float8, d.pk::float8, d.external_id, d.title, d.url
          FROM workspace_search_stats st
          LEFT JOIN LATERAL (
            SELECT c.pk, c.external_id, c.title, c.url
              FROM documents c
             WHERE c.pk = ANY(pks) AND c.workspace_id = ws AND NOT c.quarantined
               AND ((cardinality(c.acl_users) = 0 AND cardinality(c.acl_groups) = 0)
                    OR c.acl_users && reader_ids OR c.acl_groups && reader_groups)
          ) d ON true
         WHERE st.workspace_id = ws;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS tessera_readable_candidates(uuid, bigint[], text[], text[])`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_term_postings(uuid, text[])`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_document(uuid, text, text[], text[])`);
  }
}
