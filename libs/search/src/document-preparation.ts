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
  const metadata = normalizeMetadata(input.metadata ?? {});
  const acl = normalizeAcl(input.acl);
  // Everything fetch shows the model is inspected, not only the body: a metadata value or a URL path can
  // carry an instruction as well as the text can. Each field on its own line, so no rule spans two fields.
  const flags = detectInstructions([title, readableUrl(url), ...metadataStrings(metadata), text].join('\n'));
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

/** Every key and string value, at any depth, in the canonical text form (NFKC, invisible characters removed). */
function normalizeMetadata(metadata: DocumentMetadata): DocumentMetadata {
  return normalizeValue(metadata) as DocumentMetadata;
}

function normalizeValue(value: unknown): unknown {
  if (typeof value === 'string') return normalizeText(value);
  if (Array.isArray(value)) return value.map(normalizeValue);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [normalizeText(key), normalizeValue(child)]));
}

/** Keys and string values, depth first, for inspection. */
function metadataStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) metadataStrings(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      out.push(key);
      metadataStrings(child, out);
    }
  }
  return out;
}

/** The url as a reader sees it in a browser's address bar: percent-escapes and '+' decoded ("ignore%20all…"). */
function readableUrl(url: string | null): string {
  if (url === null) return '';
  try {
    return decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    return url; // a malformed escape: inspect it as it is
  }
}
