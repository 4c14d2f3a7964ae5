import type { DocumentListRequest, DocumentSummary, StoredDocument } from '@tessera/domain';
import type { EntityManager } from 'typeorm';
import type { ScopedQueries } from '../workspace-scope';
import { OPTIONAL_COLUMNS, toDocumentSummary, toStoredDocument } from './document-row';

/**
 * Every statement on the `documents` table (declared by the migrations of this lib). The search
 * backend asks these, in its own transactions (each already in the workspace's row-security scope),
 * and keeps postings and statistics beside them.
 */

/** What a write needs to know of a stored document: its postings' place and size. */
export interface DocumentIndexRow {
  pk: string;
  external_id: string;
  content_hash: string;
  title_length: number;
  body_length: number;
  /** Postings written with it; null when stored before they were counted. */
  term_count: number | null;
  /** The block its postings were written in (DOCUMENT_BLOCK; bigint, so a string from the driver). */
  posting_block: string;
}

/** A document to insert or replace, with its analysed lengths and postings count. */
export interface DocumentWrite {
  readonly document: Omit<StoredDocument, 'updatedAt'>;
  readonly titleLength: number;
  readonly bodyLength: number;
  readonly termCount: number;
}

/**
 * The block holding a document's postings: `posting_block`, or for a document written before blocks
 * (NULL), the block migration 1765500000000 moved its postings into, by its primary key.
 */
const DOCUMENT_BLOCK = `COALESCE(posting_block, -1 - pk / 256)`;
const INDEX_COLUMNS = `pk, external_id, content_hash, title_length, body_length, term_count, ${DOCUMENT_BLOCK} AS posting_block`;

/** One document by id; with reader identifiers and groups (not NULL), only when readable. Scoped by the function. */
export const DOCUMENT_SQL = `SELECT * FROM tessera_document($1, $2, $3, $4)`;

/**
 * One document by id as a jsonb row, only when the reader may read it, with the index generation of
 * the same snapshot (document NULL when there is none to read; no row when the workspace has no
 * statistics). Scoped by the function.
 */
export const READABLE_DOCUMENT_SQL = `SELECT * FROM tessera_readable_document_row($1, $2, $3, $4)`;

/**
 * $1 workspace; inside its scope. The workspace's documents grouped by ACL (quarantined ones in one
 * class of their own, whatever their ACL), each class's count and total field lengths, and the
 * primary keys of every class but the largest (whose documents are those listed nowhere), with the
 * index generation of the same snapshot on every row. One row with NULL class columns: no documents.
 * No rows: no statistics row. Per workspace and generation, so a full pass over the documents' rows
 * is paid once per change when the cache holds the view.
 */
export const ACL_CLASSES_SQL = `
  SELECT s.generation::float8 AS generation, c.quarantined, c.acl_users, c.acl_groups, c.doc_count, c.total_title_length, c.total_body_length,
         CASE WHEN c.largest THEN NULL ELSE c.pks END AS pks
    FROM workspace_search_stats s
    LEFT JOIN LATERAL (
      SELECT g.*, row_number() OVER (ORDER BY g.doc_count DESC, g.quarantined, g.acl_users, g.acl_groups) = 1 AS largest
        FROM (SELECT d.quarantined, d.acl_users, d.acl_groups, count(*)::int AS doc_count,
                     sum(d.title_length)::float8 AS total_title_length, sum(d.body_length)::float8 AS total_body_length,
                     array_agg(d.pk::float8) AS pks
                FROM (SELECT pk, quarantined, title_length, body_length,
                             CASE WHEN quarantined THEN '{}'::text[] ELSE acl_users END AS acl_users,
                             CASE WHEN quarantined THEN '{}'::text[] ELSE acl_groups END AS acl_groups
                        FROM documents WHERE workspace_id = s.workspace_id) d
               GROUP BY d.quarantined, d.acl_users, d.acl_groups) g
    ) c ON true
   WHERE s.workspace_id = $1`;

export async function deleteWorkspaceDocuments(em: EntityManager, workspaceId: string): Promise<void> {
  await em.query(`DELETE FROM documents WHERE workspace_id = $1`, [workspaceId]);
}

/** Deletes one document; what its postings need to be found and uncounted, or null when there was none. */
export async function deleteDocument(em: EntityManager, workspaceId: string, id: string): Promise<(DocumentIndexRow & { title: string; text: string }) | null> {
  // TypeORM answers DELETE … RETURNING with [rows, affected].
  const [rows]: [Array<DocumentIndexRow & { title: string; text: string }>, number] = await em.query(
    `DELETE FROM documents WHERE workspace_id = $1 AND external_id = $2 RETURNING ${INDEX_COLUMNS}, title, text`,
    [workspaceId, id],
  );
  return rows[0] ?? null;
}

export async function findDocumentIndexRows(em: EntityManager, workspaceId: string, ids: readonly string[]): Promise<Map<string, DocumentIndexRow>> {
  const rows: DocumentIndexRow[] = await em.query(
    `SELECT ${INDEX_COLUMNS} FROM documents WHERE workspace_id = $1 AND external_id = ANY($2::text[])`,
    [workspaceId, ids],
  );
  return new Map(rows.map((r) => [r.external_id, r]));
}

/** The stored title and text of documents by primary key (their postings are found from them). */
export async function findDocumentTexts(em: EntityManager, workspaceId: string, pks: readonly string[]): Promise<Array<{ pk: string; title: string; text: string }>> {
  return em.query(`SELECT pk, title, text FROM documents WHERE workspace_id = $1 AND pk = ANY($2::bigint[])`, [workspaceId, pks]);
}

const OPTIONAL_INSERT_COLUMNS = OPTIONAL_COLUMNS.map((c) => `, ${c.column}`).join('');
const OPTIONAL_SELECT = OPTIONAL_COLUMNS.map((c) => `, (t.optional->>'${c.column}')::${c.sqlType}`).join('');
const OPTIONAL_UPDATE = OPTIONAL_COLUMNS.map((c) => `${c.column} = EXCLUDED.${c.column}, `).join('');

/**
 * Inserts or replaces documents, their postings in `block`; returns their primary keys in the same
 * order. The optional fields travel as one jsonb object per document, keyed by column: a new field
 * adds no parameter here.
 */
export async function writeDocuments(em: EntityManager, workspaceId: string, block: string, writes: readonly DocumentWrite[]): Promise<string[]> {
  const d = writes.map((w) => w.document);
  const rows: Array<{ pk: string; external_id: string }> = await em.query(
    `INSERT INTO documents (workspace_id, external_id, title, text, url, metadata, acl_users, acl_groups,
                            content_hash, title_length, body_length, flags, quarantined, term_count, posting_block${OPTIONAL_INSERT_COLUMNS})
     SELECT $1, t.external_id, t.title, t.text, t.url, t.metadata::jsonb,
            ARRAY(SELECT jsonb_array_elements_text(t.acl_users::jsonb)),
            ARRAY(SELECT jsonb_array_elements_text(t.acl_groups::jsonb)),
            t.content_hash, t.title_length, t.body_length,
            ARRAY(SELECT jsonb_array_elements_text(t.flags::jsonb)), t.quarantined, t.term_count, $15::bigint${OPTIONAL_SELECT}
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::int[], $11::int[], $12::text[], $13::bool[], $14::int[], $16::jsonb[])
            AS t(external_id, title, text, url, metadata, acl_users, acl_groups, content_hash, title_length, body_length,
                 flags, quarantined, term_count, optional)
     ON CONFLICT (workspace_id, external_id) DO UPDATE SET
       title = EXCLUDED.title, text = EXCLUDED.text, url = EXCLUDED.url, metadata = EXCLUDED.metadata,
       acl_users = EXCLUDED.acl_users, acl_groups = EXCLUDED.acl_groups, content_hash = EXCLUDED.content_hash,
       title_length = EXCLUDED.title_length, body_length = EXCLUDED.body_length, flags = EXCLUDED.flags,
       quarantined = EXCLUDED.quarantined, term_count = EXCLUDED.term_count, posting_block = EXCLUDED.posting_block,
       ${OPTIONAL_UPDATE}updated_at = now()
     RETURNING pk, external_id`,
    [
      workspaceId,
      d.map((x) => x.id),
      d.map((x) => x.title),
      d.map((x) => x.text),
      d.map((x) => x.url),
      d.map((x) => JSON.stringify(x.metadata)),
      d.map((x) => JSON.stringify(x.acl.users)),
      d.map((x) => JSON.stringify(x.acl.groups)),
      d.map((x) => x.contentHash),
      writes.map((w) => w.titleLength),
      writes.map((w) => w.bodyLength),
      d.map((x) => JSON.stringify(x.flags)),
      d.map((x) => x.quarantined),
      writes.map((w) => w.termCount),
      block,
      d.map((x) => JSON.stringify(Object.fromEntries(OPTIONAL_COLUMNS.map((c) => [c.column, x[c.name]])))),
    ],
  );
  const pkById = new Map(rows.map((r) => [r.external_id, String(r.pk)]));
  return d.map((x) => pkById.get(x.id)!);
}

/** Changes who may read a document, and its content hash with it; false when there is none with that id. */
export async function updateDocumentAcl(em: EntityManager, workspaceId: string, id: string, acl: StoredDocument['acl'], contentHash: string): Promise<boolean> {
  const [, count]: [unknown, number] = await em.query(
    `UPDATE documents SET acl_users = $3, acl_groups = $4, content_hash = $5, updated_at = now() WHERE workspace_id = $1 AND external_id = $2`,
    [workspaceId, id, acl.users, acl.groups, contentHash],
  );
  return count > 0;
}

/**
 * Holds back every flagged document (quarantineFlagged) or releases every quarantined one; returns
 * how many changed.
 */
export async function applyFlaggedPolicy(em: EntityManager, workspaceId: string, quarantineFlagged: boolean): Promise<number> {
  const [, count]: [unknown, number] = await em.query(
    `UPDATE documents SET quarantined = $2, updated_at = now()
      WHERE workspace_id = $1 AND quarantined <> $2 AND ($2 = false OR cardinality(flags) > 0)`,
    [workspaceId, quarantineFlagged],
  );
  return count;
}

/** How many documents the workspace holds and when one was last written; `db` is in the workspace's scope. */
export async function documentActivity(db: ScopedQueries, workspaceId: string): Promise<{ count: number; last_write: string | Date | null } | undefined> {
  const rows = await db.query<{ count: number; last_write: string | Date | null }>(
    `SELECT count(*)::int AS count, max(updated_at) AS last_write FROM documents WHERE workspace_id = $1`,
    [workspaceId],
  );
  return rows[0];
}

/** Quarantined documents, id order; `db` is in the workspace's scope. */
export async function listQuarantinedDocuments(db: ScopedQueries, workspaceId: string, limit: number): Promise<StoredDocument[]> {
  const rows = await db.query(`SELECT * FROM documents WHERE workspace_id = $1 AND quarantined ORDER BY external_id LIMIT $2`, [workspaceId, limit]);
  return rows.map(toStoredDocument);
}

const LIST_COLUMNS = `external_id, title, url, flags, quarantined, updated_at, char_length(text) AS size${OPTIONAL_COLUMNS.map((c) => `, ${c.column}`).join('')}`;

/**
 * One page of the workspace's documents, without their text (DocumentListRequest): ids compared and
 * ordered by code point (COLLATE "C", whatever the database's locale), the filter a case-insensitive
 * substring of the id or the title (strpos: no LIKE pattern to escape). `db` is in the workspace's scope.
 */
export async function listDocuments(db: ScopedQueries, workspaceId: string, request: DocumentListRequest): Promise<DocumentSummary[]> {
  const rows = await db.query(
    `SELECT ${LIST_COLUMNS} FROM documents
      WHERE workspace_id = $1 AND ($2::text IS NULL OR external_id COLLATE "C" > $2::text)
        AND ($3::text IS NULL OR strpos(lower(external_id), lower($3::text)) > 0 OR strpos(lower(title), lower($3::text)) > 0)
      ORDER BY external_id COLLATE "C" LIMIT $4`,
    [workspaceId, request.after ?? null, request.filter || null, request.limit],
  );
  return rows.map(toDocumentSummary);
}

/** Releases a quarantined document; false when there is none with that id. */
export async function releaseQuarantinedDocument(em: EntityManager, workspaceId: string, id: string): Promise<boolean> {
  const [, count]: [unknown, number] = await em.query(
    `UPDATE documents SET quarantined = false, updated_at = now() WHERE workspace_id = $1 AND external_id = $2 AND quarantined`,
    [workspaceId, id],
  );
  return count > 0;
}
