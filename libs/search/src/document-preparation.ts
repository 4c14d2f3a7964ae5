import { createHash } from 'node:crypto';
import { DocumentMetadata, normalizeAcl, normalizeOptionalFields, OPTIONAL_DOCUMENT_FIELD_NAMES, type OptionalDocumentFieldName } from '@tessera/domain';
import { normalizeText } from './analysis';
import { htmlTitle, htmlToText } from './hygiene/html-to-text';
import { detectInstructions } from './hygiene/instruction-detector';
import type { IndexableDocument } from './search-backend.port';

/** A document as a tenant admin sends it: exactly one of `text` and `html`; optional fields validated by the API. */
export interface DocumentInput extends Partial<Readonly<Record<OptionalDocumentFieldName, string | null>>> {
  readonly id: string;
  readonly title?: string;
  readonly text?: string;
  readonly html?: string;
  readonly url?: string | null;
  readonly metadata?: DocumentMetadata;
  readonly acl?: { users?: readonly string[]; groups?: readonly string[] };
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
  const optional = normalizeOptionalFields(input);
  // Quarantine is part of what is stored: the same content uploaded again after the workspace began
  // quarantining flagged documents must be held back, not skipped as unchanged.
  const prepared = { id: input.id, title, text, url, metadata, acl, flags, quarantined, ...optional };
  return { ...prepared, contentHash: contentHashOf(prepared) };
}

/** The same document readable by `acl` instead (normalized), its content hash following; nothing analysed again. */
export function withAcl(document: Omit<IndexableDocument, 'contentHash'>, acl: { users?: readonly string[]; groups?: readonly string[] }): IndexableDocument {
  const changed = { ...document, acl: normalizeAcl(acl) };
  const { updatedAt: _updatedAt, ...stored } = changed as typeof changed & { updatedAt?: unknown };
  return { ...stored, contentHash: contentHashOf(stored) };
}

function contentHashOf(document: Omit<IndexableDocument, 'contentHash'>): string {
  const { title, text, url, metadata, acl, quarantined } = document;
  return createHash('sha256')
    .update(JSON.stringify([title, text, url, metadata, acl.users, acl.groups, ...(quarantined ? ['quarantined'] : []), ...optionalHashParts(document)]))
    .digest('base64url');
}

/**
 * The optional fields in the content hash: each given one (none: the hash a document had before the
 * field existed, so adding a field does not make every stored document look changed).
 */
function optionalHashParts(optional: Readonly<Record<OptionalDocumentFieldName, string | null>>): string[] {
  // lastModified was hashed as its bare value, first of the fields; later fields are named.
  return OPTIONAL_DOCUMENT_FIELD_NAMES.flatMap((name, index) => {
    const value = optional[name];
    if (value === null) return [];
    return index === 0 ? [value] : [`${name}=${value}`];
  });
}
