import { createHash } from 'node:crypto';
import { lockWorkspaceIndexExclusively, workspaceIndexLockName } from '@tessera/persistence';
import type { EntityManager } from 'typeorm';

/** Document locks one writer may hold; the bulk API writes 100 documents per transaction. */
export const MAX_DOCUMENT_LOCKS = 1000;

/**
 * Locks that keep collection statistics exact while writers to one workspace run in parallel.
 *
 * Every writer holds its workspace's lock shared and each document id it writes exclusively, and reads
 * a document's previous state only once it holds that id: two transactions writing the same id then
 * run one after the other, and the second sees what the first committed (READ COMMITTED takes a new
 * snapshot per statement), so a document is counted once. Writers of different ids wait for each
 * other only on the statistics row, which each updates last, and where they replace or delete
 * documents whose postings share a block (lockPostingBlocks).
 *
 * Ids are locked in one statement in ascending key order, and so are blocks, after the ids: two
 * writers never deadlock on them.
 * Dropping a workspace holds its lock exclusively and so waits for the writers in flight, as does a
 * writer of more than MAX_DOCUMENT_LOCKS ids: PostgreSQL's lock table is shared and finite.
 */
export async function lockDocumentWrites(em: EntityManager, workspaceId: string, ids: readonly string[]): Promise<void> {
  const keys = documentLockKeys(workspaceId, ids);
  if (keys.length > MAX_DOCUMENT_LOCKS) return lockWorkspaceIndexExclusively(em, workspaceId);
  await em.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`, [workspaceIndexLockName(workspaceId)]);
  await em.query(`SELECT count(pg_advisory_xact_lock(key)) FROM unnest($1::bigint[]) AS key`, [keys]);
}

/** Distinct 64-bit keys of the ids, ascending (as decimal strings for a bigint[] parameter). */
export function documentLockKeys(workspaceId: string, ids: readonly string[]): string[] {
  const keys = [...new Set(ids)].map((id) => lockKey(`tessera:document:${workspaceId}:${id}`));
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map(String);
}

/**
 * Locks the posting blocks whose rows a writer is about to rewrite (removing replaced or deleted
 * documents), each exclusively, in one statement in ascending key order. Their rows are then only
 * ever locked by one writer at a time, whatever order it visits them in.
 */
export async function lockPostingBlocks(em: EntityManager, workspaceId: string, blocks: readonly string[]): Promise<void> {
  const keys = [...new Set(blocks)].map((block) => lockKey(`tessera:posting-block:${workspaceId}:${block}`));
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await em.query(`SELECT count(pg_advisory_xact_lock(key)) FROM unnest($1::bigint[]) AS key`, [keys.map(String)]);
}

function lockKey(name: string): bigint {
  return createHash('sha256').update(name).digest().readBigInt64BE(0);
}
