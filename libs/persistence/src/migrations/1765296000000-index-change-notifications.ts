import { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel on which a workspace's index generation is announced (see IndexChangeFeed). */
export const INDEX_CHANGE_CHANNEL = 'tessera_index_changed';

/**
 * Announces every change of a workspace's index generation on INDEX_CHANGE_CHANNEL, so that search
 * processes holding the index in memory learn of a write as soon as it commits instead of asking the
 * database on every request:
 * - payload `<workspace id> <generation>` when the statistics row is written (every index write
 *   raises the generation, migration 1764691200000), `<workspace id>` when it is deleted, and `*`
 *   when any of the index's tables is truncated (every workspace at once);
 * - PostgreSQL delivers a notification only when (and if) the writing transaction commits, and in
 *   commit order, so a listener never hears of a write that did not happen.
 *
 * Also two reads for those processes, each returning the generation and collection statistics of
 * the same snapshot as what it reads (one row with NULL payload columns when there is nothing to
 * return; no row when the workspace has no statistics), scoped like migration 1765209600000's:
 * - `tessera_candidate_metadata`: what a search result shows of candidate documents, with their
 *   ACL and quarantine flag, for the search process to filter per reader in memory;
 * - `tessera_readable_document`: one document, only when the reader may read it.
 */
const SCOPE = `
        IF NULLIF(current_setting('tessera.workspace_id', true), '') IS DISTINCT FROM NULL
           AND current_setting('tessera.workspace_id', true) <> ws::text THEN
          RAISE EXCEPTION 'this transaction is scoped to another workspace' USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('tessera.workspace_id', ws::text, true);`;

const TRUNCATED_TABLES = ['workspace_search_stats', 'documents', 'postings'];

const STATS_COLUMNS = `st.generation::float8, st.doc_count::float8, st.total_title_length::float8, st.total_body_length::float8`;

export class IndexChangeNotifications1765296000000 implements MigrationInterface {
  name = 'IndexChangeNotifications1765296000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION tessera_announce_index_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('${INDEX_CHANGE_CHANNEL}', OLD.workspace_id::text);
          RETURN OLD;
        END IF;
        IF TG_OP = 'INSERT' OR NEW.generation IS DISTINCT FROM OLD.generation THEN
          PERFORM pg_notify('${INDEX_CHANGE_CHANNEL}', NEW.workspace_id::text || ' ' || NEW.generation::text);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER workspace_search_stats_announce
        AFTER INSERT OR UPDATE OR DELETE ON workspace_search_stats
        FOR EACH ROW EXECUTE FUNCTION tessera_announce_index_change()`);
    await q.query(`
      CREATE FUNCTION tessera_announce_index_truncation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${INDEX_CHANGE_CHANNEL}', '*');
        RETURN NULL;
      END $$`);
    for (const table of TRUNCATED_TABLES) {
      await q.query(`
        CREATE TRIGGER ${table}_announce_truncation AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION tessera_announce_index_truncation()`);
    }
    await q.query(`
      CREATE FUNCTION tessera_candidate_metadata(ws uuid, pks bigint[])
      RETURNS TABLE (generation float8, doc_count float8, total_title_length float8, total_body_length float8,
                     pk float8, id text, title text, url text, acl_users text[], acl_groups text[], quarantined boolean)
      LANGUAGE plpgsql VOLATILE AS $$
      #variable_conflict use_column
      BEGIN
        ${SCOPE}
        RETURN QUERY
        SELECT ${STATS_COLUMNS}, d.pk::float8, d.external_id, d.title, d.url, d.acl_users, d.acl_groups, d.quarantined
          FROM workspace_search_stats st
          LEFT JOIN LATERAL (
            SELECT c.pk, c.external_id, c.title, c.url, c.acl_users, c.acl_groups, c.quarantined
              FROM documents c WHERE c.pk = ANY(pks) AND c.workspace_id = ws
          ) d ON true
         WHERE st.workspace_id = ws;
      END $$`);
    await q.query(`
      CREATE FUNCTION tessera_readable_document(ws uuid, doc_id text, reader_ids text[], reader_groups text[])
      RETURNS TABLE (generation float8, doc_count float8, total_title_length float8, total_body_length float8,
                     external_id text, title text, text text, url text, metadata jsonb, acl_users text[], acl_groups text[],
                     content_hash text, updated_at timestamptz, flags text[], quarantined boolean)
      LANGUAGE plpgsql VOLATILE AS $$
      #variable_conflict use_column
      BEGIN
        ${SCOPE}
        RETURN QUERY
        SELECT ${STATS_COLUMNS}, d.external_id, d.title, d.text, d.url, d.metadata, d.acl_users, d.acl_groups,
               d.content_hash, d.updated_at, d.flags, d.quarantined
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
    for (const table of TRUNCATED_TABLES) await q.query(`DROP TRIGGER IF EXISTS ${table}_announce_truncation ON ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_announce_index_truncation()`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_readable_document(uuid, text, text[], text[])`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_candidate_metadata(uuid, bigint[])`);
    await q.query(`DROP TRIGGER IF EXISTS workspace_search_stats_announce ON workspace_search_stats`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_announce_index_change()`);
  }
}
