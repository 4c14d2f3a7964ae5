import { documentTable } from '@tessera/persistence';
import { decodePostingRecords } from './postings';
import type { AclClass, CandidateMetadata, LoadedPostings } from './scorer';

/** Runs one statement (prepared by name) and returns its rows. */
export type StatementRunner = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/** Where a search reads the index: statements that scope themselves, and a snapshot in the workspace's scope. */
export interface IndexDatabase {
  /** Runs statements that open the workspace's row-security scope themselves (one round trip each). */
  readonly run: StatementRunner;
  /** Runs statements inside the workspace's scope, all seeing one committed state. */
  inSnapshot<T>(work: (run: StatementRunner) => Promise<T>): Promise<T>;
}

/**
 * $1 workspace, $2 terms. One row per term, each with the index generation of the same snapshot and
 * the term's blocks of fixed-width records concatenated (see postingBlocks; NULL: no postings),
 * decoded without parsing text. No rows: no statistics row, so the workspace has never held a
 * document. The function (migration 1765500000000) opens the workspace's row-security scope itself.
 */
const LOAD_POSTINGS_SQL = `SELECT * FROM tessera_term_posting_blocks($1, $2)`;

/**
 * $1 workspace, $2 candidate primary keys. Their search-result metadata with ACL and quarantine flag
 * (filtered per reader in memory, by the same rule as the database's), and the index generation of
 * the same snapshot (on every row; one row with NULL document columns when none is asked for or
 * found). No rows: the workspace has no statistics row. Scoped by the function itself.
 */
const CANDIDATE_METADATA_SQL = `SELECT * FROM tessera_candidate_metadata($1, $2)`;

/** The workspace's ACL classes: a statement of the documents table's owner. */
const { ACL_CLASSES_SQL } = documentTable;

interface PostingsRow {
  generation: number;
  term: string;
  packed: Buffer | null;
}

interface ClassRow {
  generation: number;
  quarantined: boolean | null;
  acl_users: string[] | null;
  acl_groups: string[] | null;
  doc_count: number | null;
  total_title_length: number | null;
  total_body_length: number | null;
  pks: number[] | null;
}

interface CandidateRow {
  generation: number;
  pk: number | null;
  id: string | null;
  title: string | null;
  url: string | null;
  acl_users: string[] | null;
  acl_groups: string[] | null;
  quarantined: boolean | null;
}

/** What one read answered, with the generation of its snapshot; null: the workspace has no statistics. */
export type AtGeneration<T> = { generation: number; value: T } | null;

export async function readPostings(run: StatementRunner, workspaceId: string, terms: readonly string[]): Promise<AtGeneration<LoadedPostings[]>> {
  const rows = await run<PostingsRow>('tessera_load_posting_blocks', LOAD_POSTINGS_SQL, [workspaceId, terms]);
  if (rows.length === 0) return null;
  const value = rows.map((row) => ({ term: row.term, ...decodePostingRecords(row.packed ?? Buffer.alloc(0)) }));
  return { generation: rows[0]!.generation, value };
}

/** Must run inside the workspace's scope (IndexDatabase.inSnapshot). */
export async function readAclClasses(run: StatementRunner, workspaceId: string): Promise<AtGeneration<AclClass[]>> {
  const rows = await run<ClassRow>('tessera_acl_classes', ACL_CLASSES_SQL, [workspaceId]);
  if (rows.length === 0) return null;
  const value: AclClass[] = [];
  for (const row of rows) {
    if (row.doc_count === null) continue;
    value.push({
      acl: { users: row.acl_users ?? [], groups: row.acl_groups ?? [] },
      quarantined: row.quarantined === true,
      docCount: row.doc_count,
      totalTitleLength: Number(row.total_title_length),
      totalBodyLength: Number(row.total_body_length),
      pks: row.pks === null ? null : row.pks.map(Number),
    });
  }
  return { generation: rows[0]!.generation, value };
}

export async function readCandidateMetadata(run: StatementRunner, workspaceId: string, pks: readonly number[]): Promise<AtGeneration<CandidateMetadata[]>> {
  const rows = await run<CandidateRow>('tessera_candidate_metadata', CANDIDATE_METADATA_SQL, [workspaceId, `{${pks.join(',')}}`]);
  if (rows.length === 0) return null;
  const value: CandidateMetadata[] = [];
  for (const row of rows) {
    if (row.pk === null) continue;
    value.push({
      pk: row.pk,
      id: row.id!,
      title: row.title!,
      url: row.url,
      acl: { users: row.acl_users ?? [], groups: row.acl_groups ?? [] },
      quarantined: row.quarantined === true,
    });
  }
  return { generation: rows[0]!.generation, value };
}

/**
 * The terms' postings at the workspace's current generation, and with `withClasses` its ACL classes
 * from the same snapshot. Null when the workspace has no statistics.
 */
export async function readIndex(
  db: IndexDatabase,
  workspaceId: string,
  terms: readonly string[],
  withClasses: boolean,
): Promise<{ generation: number; postings: LoadedPostings[]; classes?: AclClass[] } | null> {
  if (!withClasses) {
    const postings = await readPostings(db.run, workspaceId, terms);
    return postings && { generation: postings.generation, postings: postings.value };
  }
  return db.inSnapshot(async (run) => {
    const classes = await readAclClasses(run, workspaceId);
    if (!classes) return null;
    const postings = await readPostings(run, workspaceId, terms);
    if (!postings) return null;
    if (postings.generation !== classes.generation) throw new Error('the index generation moved within one snapshot');
    return { generation: classes.generation, postings: postings.value, classes: classes.value };
  });
}
