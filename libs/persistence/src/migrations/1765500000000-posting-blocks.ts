import { MigrationInterface, QueryRunner } from 'typeorm';

const CURRENT_WORKSPACE = `NULLIF(current_setting('tessera.workspace_id', true), '')::uuid`;

/** As in migration 1765209600000: the function opens its workspace's row-security scope itself. */
const SCOPE = `
        IF NULLIF(current_setting('tessera.workspace_id', true), '') IS DISTINCT FROM NULL
           AND current_setting('tessera.workspace_id', true) <> ws::text THEN
          RAISE EXCEPTION 'this transaction is scoped to another workspace' USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('tessera.workspace_id', ws::text, true);`;

/**
 * `name`(ws, terms), as migration 1765209600000's tessera_term_postings: per term, its postings as
 * `packed` records from `packedOfTerm` (a query of ws and q.term), with the statistics of the same snapshot.
 */
const termPostingsFunction = (name: string, packedOfTerm: string) => `
      CREATE FUNCTION ${name}(ws uuid, terms text[])
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
           ${packedOfTerm}
         ) p
         WHERE st.workspace_id = ws;
      END $$`;

/** Forced row-level security by workspace (migration 1765123200000), and TRUNCATE announced (migration 1765296000000). */
async function asWorkspaceIndexTable(q: QueryRunner, table: string): Promise<void> {
  await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await q.query(`
    CREATE POLICY ${table}_workspace_scope ON ${table}
      USING (workspace_id = ${CURRENT_WORKSPACE})
      WITH CHECK (workspace_id = ${CURRENT_WORKSPACE})`);
  await q.query(`
    CREATE TRIGGER ${table}_announce_truncation AFTER TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION tessera_announce_index_truncation()`);
}

/** Runs `move` for each workspace in its own row-security scope (FORCE stays on throughout). */
async function inEachWorkspace(q: QueryRunner, move: (workspaceId: string) => Promise<unknown>): Promise<void> {
  const workspaces: Array<{ id: string }> = await q.query(`SELECT id FROM workspaces`);
  for (const { id } of workspaces) {
    await q.query(`SELECT set_config('tessera.workspace_id', $1, true)`, [id]);
    await move(id);
  }
  await q.query(`SELECT set_config('tessera.workspace_id', '', true)`);
}

/**
 * Migrated documents' postings go to blocks of this many consecutive primary keys, numbered below
 * zero; such a document keeps `posting_block` NULL, and its block is `-1 - pk / 256` (see the search
 * backend's DOCUMENT_BLOCK).
 */
const MIGRATED_BLOCK_DOCUMENTS = 256;

/**
 * Postings stored as blocks: one row per term and write (`posting_blocks`), holding that term's
 * posting of every document the write stored, as fixed-width binary records (doc_pk int8, tf_title
 * int2, tf_body int4, title_length int4, body_length int4; big-endian; see libs/search postings.ts),
 * instead of one row per term and document. A bulk write of 200 documents adds ~31,000 rows and index
 * entries instead of ~177,000: measured about half of PostgreSQL's work and WAL per ingested
 * document. Searches read a term's blocks concatenated, which is what they read before.
 *
 * - `block` numbers come from `posting_block_seq`, one per write; `documents.posting_block` says which
 *   block holds a document's postings, so that replacing or deleting it rewrites just those rows
 *   (NULL for documents written before: see MIGRATED_BLOCK_DOCUMENTS).
 * - Searches read `tessera_term_posting_blocks`, a new name: a gateway of the previous release still
 *   running during a rolling upgrade gets an error from the old name, never records it would misread.
 * - Records are fixed-width and uncompressed (STORAGE EXTERNAL: compression would cost every write
 *   and read, for little on binary integers), and rows stay in the table's pages up to a page's
 *   size (toast_tuple_target), out of line only beyond.
 * - Row-level security as on the other workspace tables (migration 1765123200000), FORCEd; TRUNCATE
 *   is announced as for postings before (migration 1765296000000).
 *
 * Existing postings are moved workspace by workspace, each in its own row-security scope, those of
 * documents that no longer exist left behind. Writes to the old table wait (SHARE lock) until it is
 * dropped with the move's commit, then fail and are rolled back whole, so none is lost; reads go on.
 * `documents` is altered last (a brief exclusive lock, no row rewritten).
 */
export class PostingBlocks1765500000000 implements MigrationInterface {
  name = 'PostingBlocks1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE postings IN SHARE MODE`);
    await q.query(`CREATE SEQUENCE posting_block_seq`);
    await q.query(`
      CREATE TABLE posting_blocks (
        workspace_id uuid NOT NULL,
        term text COLLATE "C" NOT NULL,
        block bigint NOT NULL,
        postings bytea NOT NULL,
        PRIMARY KEY (workspace_id, term, block)
      ) WITH (toast_tuple_target = 8160)`);
    await q.query(`ALTER TABLE posting_blocks ALTER COLUMN postings SET STORAGE EXTERNAL`);
    await asWorkspaceIndexTable(q, 'posting_blocks');

    await inEachWorkspace(q, (id) =>
      q.query(
        `INSERT INTO posting_blocks (workspace_id, term, block, postings)
         SELECT p.workspace_id, p.term, -1 - p.doc_pk / ${MIGRATED_BLOCK_DOCUMENTS},
                string_agg(int8send(p.doc_pk) || int2send(p.tf_title) || int4send(p.tf_body) || int4send(p.title_length) || int4send(p.body_length),
                           ''::bytea ORDER BY p.doc_pk)
           FROM postings p
          WHERE p.workspace_id = $1 AND EXISTS (SELECT 1 FROM documents d WHERE d.workspace_id = $1 AND d.pk = p.doc_pk)
          GROUP BY p.workspace_id, p.term, -1 - p.doc_pk / ${MIGRATED_BLOCK_DOCUMENTS}`,
        [id],
      ),
    );
    await q.query(`DROP TABLE postings`);
    await q.query(`DROP FUNCTION tessera_term_postings(uuid, text[])`);
    await q.query(termPostingsFunction('tessera_term_posting_blocks', `SELECT string_agg(b.postings, ''::bytea) AS packed
             FROM posting_blocks b WHERE b.workspace_id = ws AND b.term = q.term`));
    await q.query(`ALTER TABLE documents ADD COLUMN posting_block bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE posting_blocks IN SHARE MODE`);
    await q.query(`
      CREATE TABLE postings (
        workspace_id uuid NOT NULL,
        term text COLLATE "C" NOT NULL,
        doc_pk bigint NOT NULL,
        tf_title smallint NOT NULL,
        tf_body integer NOT NULL,
        title_length integer NOT NULL,
        body_length integer NOT NULL,
        PRIMARY KEY (workspace_id, term, doc_pk)
      )`);
    await q.query(`ALTER TABLE postings SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_insert_threshold = 10000,
                                            autovacuum_analyze_scale_factor = 0.02)`);
    await asWorkspaceIndexTable(q, 'postings');
    const field = (offset: number, bytes: number) => `('x' || encode(substring(b.postings FROM r.at + ${offset + 1} FOR ${bytes}), 'hex'))::bit(${8 * bytes})`;
    await inEachWorkspace(q, (id) =>
      q.query(
        `INSERT INTO postings (workspace_id, term, doc_pk, tf_title, tf_body, title_length, body_length)
         SELECT b.workspace_id, b.term, ${field(0, 8)}::bigint, (${field(8, 2)}::bit(32) >> 16)::int::smallint,
                ${field(10, 4)}::int, ${field(14, 4)}::int, ${field(18, 4)}::int
           FROM posting_blocks b
          CROSS JOIN LATERAL generate_series(0, length(b.postings) - 22, 22) AS r(at)
          WHERE b.workspace_id = $1`,
        [id],
      ),
    );
    await q.query(`DROP FUNCTION tessera_term_posting_blocks(uuid, text[])`);
    await q.query(termPostingsFunction('tessera_term_postings', `SELECT string_agg(float8send(x.doc_pk::float8) || int2send(x.tf_title) || int4send(x.tf_body)
                             || int4send(x.title_length) || int4send(x.body_length), ''::bytea) AS packed
             FROM postings x WHERE x.workspace_id = ws AND x.term = q.term`));
    await q.query(`ALTER TABLE documents DROP COLUMN posting_block`);
    await q.query(`DROP TABLE posting_blocks`);
    await q.query(`DROP SEQUENCE posting_block_seq`);
  }
}
