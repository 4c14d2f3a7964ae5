import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Document locks one writer may hold; the bulk API writes 100 documents per transaction. */
export const MAX_DOCUMENT_LOCKS = 1000;

/**
 * Locks that keep collection statistics exact while writers to one workspace run in parallel.
 *
 * Every writer holds its workspace's lock shared and each document id it writes exclusively, and reads
 * a document's previous state only once it holds that id: two transactions writing the same id then
 * run one after the other, and the second sees what the first committed (READ COMMITTED takes a new
 * snapshot per statement), so a document is counted once. Writers of different ids never wait for
 * each other, except on the statistics row, which each updates last.
 *
 * Ids are locked in one statement in ascending key order, so two writers never deadlock on them.
 * Dropping a workspace holds its lock exclusively and so waits for the writers in flight, as does a
 * writer of more than MAX_DOCUMENT_LOCKS ids: PostgreSQL's lock table is shared and finite.
 */
export async function lockDocumentWrites(em: EntityManager, workspaceId: string, ids: readonly string[]): Promise<void> {
  const keys = documentLockKeys(workspaceId, ids);
  if (keys.length > MAX_DOCUMENT_LOCKS) return lockWorkspaceExclusively(em, workspaceId);
  await em.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`, [workspaceLockName(workspaceId)]);
  await em.query(`SELECT count(pg_advisory_xact_lock(key)) FROM unnest($1::bigint[]) AS key`, [keys]);
}

export async function lockWorkspaceExclusively(em: EntityManager, workspaceId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [workspaceLockName(workspaceId)]);
}

/** The name earlier releases locked exclusively for every write, so that they still exclude these writers. */
function workspaceLockName(workspaceId: string): string {
  return `tessera:index:${workspaceId}`;
}

/** Distinct 64-bit keys of the ids, ascending (as decimal strings for a bigint[] parameter). */
export function documentLockKeys(workspaceId: string, ids: readonly string[]): string[] {
  const keys = [...new Set(ids)].map((id) =>
    createHash('sha256').update(`tessera:document:${workspaceId}:`).update(id).digest().readBigInt64BE(0),
  );
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map(String);
}
