import { OPTIONAL_DOCUMENT_FIELD_NAMES, optionalFieldDefinition, type DocumentSummary, type OptionalDocumentFields, type StoredDocument } from '@tessera/domain';

/** The optional fields' columns (OPTIONAL_DOCUMENT_FIELDS), with their field names and types. */
export const OPTIONAL_COLUMNS = OPTIONAL_DOCUMENT_FIELD_NAMES.map((name) => {
  const definition = optionalFieldDefinition(name);
  return { name, column: definition.column, sqlType: definition.type.sqlType };
});

/**
 * A `documents` row as a StoredDocument, from a `SELECT *` or its jsonb (`to_jsonb(d)`: timestamps
 * are strings there, Dates from the driver).
 */
export function toStoredDocument(row: Record<string, unknown>): StoredDocument {
  return {
    id: row.external_id as string,
    title: row.title as string,
    text: row.text as string,
    url: (row.url as string | null) ?? null,
    metadata: (row.metadata as Record<string, unknown>) ?? {},
    acl: { users: row.acl_users as string[], groups: row.acl_groups as string[] },
    contentHash: row.content_hash as string,
    updatedAt: new Date(row.updated_at as string | Date),
    flags: (row.flags as string[] | undefined) ?? [],
    quarantined: row.quarantined === true,
    ...optionalFieldsOf(row),
  };
}

/** A row of the document list (DOCUMENT_LIST_COLUMNS) as a DocumentSummary. */
export function toDocumentSummary(row: Record<string, unknown>): DocumentSummary {
  return {
    id: row.external_id as string,
    title: row.title as string,
    url: (row.url as string | null) ?? null,
    updatedAt: new Date(row.updated_at as string | Date),
    flags: (row.flags as string[] | undefined) ?? [],
    quarantined: row.quarantined === true,
    size: Number(row.size),
    ...optionalFieldsOf(row),
  };
}

function optionalFieldsOf(row: Record<string, unknown>): OptionalDocumentFields {
  const optional: Record<string, string | null> = {};
  for (const { name, column, sqlType } of OPTIONAL_COLUMNS) {
    const value = row[column];
    optional[name] = value === null || value === undefined ? null : sqlType === 'timestamptz' ? new Date(value as string | Date).toISOString() : String(value);
  }
  return optional as OptionalDocumentFields;
}
