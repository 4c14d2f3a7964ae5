import { createHash } from 'node:crypto';
import { idFromRelativePath, MAX_DOCUMENT_ID_LENGTH, trimId } from '@tessera/domain';

const HASH_LENGTH = 8;

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, HASH_LENGTH);
}

function withHash(base: string, hash: string, maxLength: number): string {
  const stem = trimId(base.slice(0, maxLength - hash.length - 1)) || 'doc';
  return `${stem}-${hash}`;
}

export interface IdRequest {
  /** Any unique key for the file (e.g. its absolute path). */
  key: string;
  relativePath: string;
}

/**
 * Gives every plain file an id, unique within the run. When two files derive
 * the same id (`A.md` and `a.txt`), the first in input order keeps it and the
 * others get a hash of their relative path appended. Hashes use the relative
 * path, not the absolute one, so ids are the same on every machine.
 */
export function assignDocumentIds(files: IdRequest[], idPrefix = ''): Map<string, string> {
  const maxLength = MAX_DOCUMENT_ID_LENGTH - idPrefix.length;
  const bases = files.map((file) => idFromRelativePath(file.relativePath, maxLength));
  // Reserve every natural id first so a hashed id can never take one.
  const taken = new Set(bases.filter((base) => base !== ''));
  const assigned = new Set<string>();
  const ids = new Map<string, string>();

  files.forEach((file, index) => {
    const base = bases[index];
    let id = base;
    if (base === '' || assigned.has(base)) {
      for (let salt = 0; ; salt++) {
        const hash = shortHash(salt === 0 ? file.relativePath : `${file.relativePath}#${salt}`);
        id = withHash(base, hash, maxLength);
        if (!taken.has(id) && !assigned.has(id)) break;
      }
    }
    assigned.add(id);
    ids.set(file.key, `${idPrefix}${id}`);
  });
  return ids;
}
