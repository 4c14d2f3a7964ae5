import type { VersionedWrite } from '@tessera/persistence';
import { ScimError } from './scim-errors';

/** Conditional writes read, change and write back; a concurrent write makes them read again this often. */
const ATTEMPTS = 3;

/**
 * The version an If-Match header asks for (RFC 7644 §3.14): undefined when absent or `*`; a version no
 * write can have (so 412) when it names no version of ours.
 */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  return match ? Number(match[1]) : -1;
}

/**
 * Runs a read-modify-write until it lands on the version it read: with If-Match the named version
 * must be current (412 otherwise); without, a concurrent change is read again and the change re-applied.
 */
export async function writeVersioned<R extends { version: number }, T>(
  ifMatch: number | undefined,
  read: () => Promise<R | null>,
  write: (current: R) => Promise<VersionedWrite<T>>,
  what: 'User' | 'Group',
  id: string,
): Promise<{ before: R; after: T }> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await read();
    if (!current) throw ScimError.notFound(what, id);
    if (ifMatch !== undefined && current.version !== ifMatch) throw ScimError.preconditionFailed();
    const result = await write(current);
    if (result.kind === 'written') return { before: current, after: result.value };
    if (result.kind === 'not_found') throw ScimError.notFound(what, id);
  }
  throw new ScimError(409, `the ${what} kept changing while it was written; retry`);
}
