import { createHash } from 'node:crypto';
import { DocumentMetadata, normalizeAcl, normalizeLastModified } from '@tessera/domain';
import { normalizeText } from './analysis';
import { htmlTitle, htmlToText } from './hygiene/html-to-text';
import { detectInstructions } from './hygiene/instruction-detector';
import type { IndexableDocument } from './search-backend.port';

/** A document as a tenant admin sends it: exactly one of `text` and `html`. */
export interface DocumentInput {
  readonly id: string;
  readonly title?: string;
  readonly text?: string;
  readonly html?: string;
  readonly url?: string | null;
  readonly metadata?: DocumentMetadata;
  readonly acl?: { users?: readonly string[]; groups?: readonly string[] };
  /** ISO 8601 (validated by the API); anything else is stored as not given. */
  readonly lastModified?: string | null;
}

/**
 * Turns input into what is stored and indexed: HTML converted to its visible text, every string
 * Unicode-normalized with invisible characters removed, the ACL normalized, instruction-like text flagged
 * (and quarantined when the workspace says so), and a content hash that lets an unchanged re-upload be a no-op.
 */
export function prepareDocument(input: DocumentInput, quarantineFlagged = false): IndexableDocument {
  const text = input.html !== undefined ? htmlToText(input.html) : normalizeText(input.text ?? '');
  const rawTitle = input.title ?? (input.html !== undefined ? htmlTitle(input.html) : undefined) ?? input.id;
  const title = normalizeText(rawTitle).replace(/\s+/g, ' ').trim() || input.id;
  const url = input.url ?? null;
  const metadata = input.metadata ?? {};
  const acl = normalizeAcl(input.acl);
  const flags = detectInstructions(`${title}\n${text}`);
  const quarantined = quarantineFlagged && flags.length > 0;
  const lastModified = normalizeLastModified(input.lastModified);
  // Quarantine is part of what is stored: the same content uploaded again after the workspace began
  // quarantining flagged documents must be held back, not skipped as unchanged.
  const contentHash = createHash('sha256')
    .update(JSON.stringify([title, text, url, metadata, acl.users, acl.groups, ...(quarantined ? ['quarantined'] : []), ...(lastModified ? [lastModified] : [])]))
    .digest('base64url');
  return { id: input.id, title, text, url, metadata, acl, contentHash, flags, quarantined, lastModified };
}
