import { canReadDocument, isPublicAcl, normalizeUserIdentifier, OPTIONAL_DOCUMENT_FIELD_NAMES, OPTIONAL_DOCUMENT_FIELDS, type OptionalDocumentFields, type StoredDocument } from '@tessera/domain';
import type { IndexableDocument, ReaderFilter } from '../search-backend.port';

/** A document as stored in `_source`. Snake case, because these are also the mapped field names. */
export interface DocumentSource {
  readonly workspace_id: string;
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly url: string | null;
  readonly metadata: Record<string, unknown>;
  readonly acl_users: readonly string[];
  readonly acl_groups: readonly string[];
  /** Stored rather than derived at query time: a `term` on it is the cheapest public-document filter. */
  readonly acl_public: boolean;
  readonly flags: readonly string[];
  readonly quarantined: boolean;
  readonly content_hash: string;
  readonly updated_at: string;
  /**
   * The optional fields (OPTIONAL_DOCUMENT_FIELDS) under their column names (last_modified, …);
   * absent when not given (indices created before a field was mapped reject unknown fields).
   */
  readonly [column: string]: unknown;
}

export function toSource(workspaceId: string, document: IndexableDocument, now: Date): DocumentSource {
  return {
    workspace_id: workspaceId,
    id: document.id,
    title: document.title,
    text: document.text,
    url: document.url,
    metadata: document.metadata,
    acl_users: document.acl.users,
    acl_groups: document.acl.groups,
    acl_public: isPublicAcl(document.acl),
    flags: document.flags,
    quarantined: document.quarantined,
    content_hash: document.contentHash,
    updated_at: now.toISOString(),
    ...optionalFieldsSource(document),
  };
}

export function toStoredDocument(source: DocumentSource): StoredDocument {
  return {
    id: source.id,
    title: source.title,
    text: source.text,
    url: source.url ?? null,
    metadata: source.metadata ?? {},
    acl: { users: source.acl_users ?? [], groups: source.acl_groups ?? [] },
    contentHash: source.content_hash,
    updatedAt: new Date(source.updated_at),
    flags: source.flags ?? [],
    quarantined: source.quarantined ?? false,
    ...optionalFieldsFromSource(source),
  };
}

function optionalFieldsSource(document: OptionalDocumentFields): Record<string, string> {
  const source: Record<string, string> = {};
  for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) {
    const value = document[name];
    if (value !== null) source[OPTIONAL_DOCUMENT_FIELDS[name].column] = value;
  }
  return source;
}

export function optionalFieldsFromSource(source: Record<string, unknown>): OptionalDocumentFields {
  const fields: Record<string, string | null> = {};
  for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) {
    const value = source[OPTIONAL_DOCUMENT_FIELDS[name].column];
    fields[name] = typeof value === 'string' ? value : null;
  }
  return fields as OptionalDocumentFields;
}

/**
 * The read check `get` applies after fetching by id, with the same meaning as the search filter:
 * not quarantined, and public, or naming one of the reader's identifiers (case-insensitively, like
 * the keyword normalizer) or groups. Without a reader (the tenant admin's view) everything is readable.
 */
export function readableBy(document: StoredDocument, reader: ReaderFilter | undefined): boolean {
  if (reader === undefined) return true;
  return canReadDocument({ identifiers: reader.identifiers.map(normalizeUserIdentifier), groups: reader.groups }, document);
}
