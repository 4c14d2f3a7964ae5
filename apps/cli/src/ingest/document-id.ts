import { createHash } from 'node:crypto';

/** Mirrors the server's rule so bad ids are reported with their file and line. */
export const DOCUMENT_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const MAX_DOCUMENT_ID_LENGTH = 128;

const HASH_LENGTH = 8;

export function isValidDocumentId(id: string): boolean {
  return DOCUMENT_ID_PATTERN.test(id);
}

/**
 * `Guides/Getting Started.md` → `guides-getting-started`. Accents are folded
 * (`Café` → `cafe`) and everything outside [a-z0-9._] becomes a single `-`.
 * Returns '' when nothing usable is left (e.g. a name in a non-Latin script).
 */
export function idFromRelativePath(relativePath: string, maxLength = MAX_DOCUMENT_ID_LENGTH): string {
  const withoutExtension = relativePath.replace(/\.[^./]*$/, '');
  const slug = withoutExtension
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-');
  return trimId(trimId(slug).slice(0, maxLength));
}

/** Ids must start with a letter or digit; trailing separators only look like truncation. */
function trimId(id: string): string {
  return id.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
}

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
