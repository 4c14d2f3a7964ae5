import assert from 'node:assert/strict';
import type { DataSource, EntityManager } from 'typeorm';
import { buildPostings, type PostingsOfDocument } from '../../libs/search/src/postgres/postings';

/** One posting as the index must hold it, primary key as text (exact beyond 2^53). */
export interface PostingRow {
  term: string;
  doc_pk: string;
  tf_title: number;
  tf_body: number;
  title_length: number;
  body_length: number;
}

/** A transaction that names its workspace, as row-level security on workspace tables asks. */
export function inWorkspace<T>(dataSource: DataSource, workspaceId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (em) => {
    await em.query(`SELECT set_config('tessera.workspace_id', $1, true)`, [workspaceId]);
    return work(em);
  });
}

export const byKey = (a: PostingRow, b: PostingRow) => (a.term < b.term ? -1 : a.term > b.term ? 1 : Number(BigInt(a.doc_pk) - BigInt(b.doc_pk)));

/** The workspace's posting blocks as one row per posting, by term then primary key; every block holds whole records, and at least one. */
export async function blockPostings(dataSource: DataSource, workspaceId: string): Promise<PostingRow[]> {
  const blocks: Array<{ term: string; postings: Buffer }> = await inWorkspace(dataSource, workspaceId, (em) =>
    em.query(`SELECT term, postings FROM posting_blocks WHERE workspace_id = $1`, [workspaceId]));
  const rows: PostingRow[] = [];
  for (const { term, postings } of blocks) {
    assert.ok(postings.length > 0 && postings.length % 22 === 0, `block of "${term}": whole records, never none`);
    for (let at = 0; at < postings.length; at += 22) {
      rows.push({
        term, doc_pk: String(postings.readBigInt64BE(at)), tf_title: postings.readInt16BE(at + 8), tf_body: postings.readInt32BE(at + 10),
        title_length: postings.readInt32BE(at + 14), body_length: postings.readInt32BE(at + 18),
      });
    }
  }
  return rows.sort(byKey);
}

/** The postings a batch holds, by term then primary key. */
export function expectedRows(documents: readonly PostingsOfDocument[]): PostingRow[] {
  return documents
    .flatMap(({ docPk, postings: p }) =>
      p.terms.map((term, i) => ({ term, doc_pk: docPk, tf_title: p.tfTitle[i]!, tf_body: p.tfBody[i]!, title_length: p.titleLength, body_length: p.bodyLength })))
    .sort(byKey);
}

/** The postings that documents of this text must have, by term then primary key. */
export function expectedPostings(documents: ReadonlyArray<{ pk: string; title: string; text: string }>): PostingRow[] {
  return expectedRows(documents.map((d) => ({ docPk: d.pk, postings: buildPostings(d) })));
}

/** The workspace's documents as stored, for expectedPostings. */
export function storedDocuments(dataSource: DataSource, workspaceId: string): Promise<Array<{ pk: string; title: string; text: string; term_count: number | null }>> {
  return inWorkspace(dataSource, workspaceId, (em) => em.query(`SELECT pk::text, title, text, term_count FROM documents WHERE workspace_id = $1`, [workspaceId]));
}
