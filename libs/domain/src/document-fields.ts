import { normalizeLastModified } from './document';

/**
 * How an optional document field is checked, stored and mapped. Every kind holds a string (or null
 * when not given), so the API, the CLI and both backends carry it without knowing the field.
 */
interface FieldKind {
  /** The stored form of what a client sent; null: not acceptable. */
  normalize(value: unknown): string | null;
  /** What a client is told when normalize refuses a value. */
  readonly rule: string;
  /** PostgreSQL column type. */
  readonly sqlType: 'timestamptz' | 'text';
  /** OpenSearch mapping of the field. */
  readonly openSearch: Readonly<Record<string, unknown>>;
}

const TEXT_MAX_CHARS = 1_000;

export const DOCUMENT_FIELD_KINDS = {
  timestamp: {
    normalize: normalizeLastModified,
    rule: 'must be an ISO 8601 date (2026-12-07) or date and time with a zone (2026-12-07T20:31:00Z)',
    sqlType: 'timestamptz',
    openSearch: { type: 'date' },
  },
  text: {
    normalize: (value) => {
      if (typeof value !== 'string' || value.includes('\0')) return null;
      const trimmed = value.trim();
      return trimmed && trimmed.length <= TEXT_MAX_CHARS ? trimmed : null;
    },
    rule: `must be a non-empty string of at most ${TEXT_MAX_CHARS} characters`,
    sqlType: 'text',
    openSearch: { type: 'keyword', ignore_above: 256 },
  },
} as const satisfies Record<string, FieldKind>;

export interface OptionalFieldDefinition {
  readonly kind: keyof typeof DOCUMENT_FIELD_KINDS;
  /** Column in PostgreSQL and field name in OpenSearch; also accepted as a Markdown front matter key. */
  readonly column: string;
  /** For the OpenAPI document. */
  readonly description: string;
  readonly example: string;
}

/**
 * The optional fields a document may carry beyond id, title, text, url, metadata and acl. This table
 * is the one place a new field is declared: the API's validation and OpenAPI schema, the CLI's front
 * matter, both backends' storage and mapping, GET and `fetch` metadata all derive from it. A new field
 * also needs a migration adding its column (see migration 1765600000000 for one).
 */
export const OPTIONAL_DOCUMENT_FIELDS = {
  lastModified: {
    kind: 'timestamp',
    column: 'last_modified',
    description: 'When the source last changed (ISO 8601 date, or date and time with a zone); fetch shows it in metadata',
    example: '2026-12-07T20:31:00Z',
  },
} as const satisfies Record<string, OptionalFieldDefinition>;

export type OptionalDocumentFieldName = keyof typeof OPTIONAL_DOCUMENT_FIELDS;
/** The optional fields as stored and served: null when not given. */
export type OptionalDocumentFields = { readonly [K in OptionalDocumentFieldName]: string | null };

export const OPTIONAL_DOCUMENT_FIELD_NAMES = Object.keys(OPTIONAL_DOCUMENT_FIELDS) as OptionalDocumentFieldName[];

export function optionalFieldDefinition(name: OptionalDocumentFieldName): OptionalFieldDefinition & { readonly type: FieldKind } {
  const definition: OptionalFieldDefinition = OPTIONAL_DOCUMENT_FIELDS[name];
  return { ...definition, type: DOCUMENT_FIELD_KINDS[definition.kind] };
}

/**
 * Checks and normalizes the optional fields of a client's document: the stored values (null when
 * absent or null), or a message naming the first field whose value is not acceptable.
 */
export function readOptionalFields(body: Readonly<Record<string, unknown>>): { ok: true; value: OptionalDocumentFields } | { ok: false; message: string } {
  const value: Record<string, string | null> = {};
  for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) {
    const raw = body[name];
    if (raw === undefined || raw === null) {
      value[name] = null;
      continue;
    }
    const normalized = optionalFieldDefinition(name).type.normalize(raw);
    if (normalized === null) return { ok: false, message: `${name}: ${optionalFieldDefinition(name).type.rule}` };
    value[name] = normalized;
  }
  return { ok: true, value: value as OptionalDocumentFields };
}

/** The same, where a value that is not acceptable is stored as not given (validated earlier, or not at all). */
export function normalizeOptionalFields(body: { readonly [K in OptionalDocumentFieldName]?: unknown }): OptionalDocumentFields {
  const value: Record<string, string | null> = {};
  for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) value[name] = optionalFieldDefinition(name).type.normalize(body[name]) ?? null;
  return value as OptionalDocumentFields;
}

/** Every optional field of a document, null when not given: for API responses. */
export function optionalFieldsOf(document: OptionalDocumentFields): OptionalDocumentFields {
  const value: Record<string, string | null> = {};
  for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) value[name] = document[name] ?? null;
  return value as OptionalDocumentFields;
}

/** The fields a document has (not null), by name: for `fetch` metadata. */
export function presentOptionalFields(document: OptionalDocumentFields): Partial<Record<OptionalDocumentFieldName, string>> {
  const present: Partial<Record<OptionalDocumentFieldName, string>> = {};
  for (const name of OPTIONAL_DOCUMENT_FIELD_NAMES) {
    const value = document[name];
    if (value !== null && value !== undefined) present[name] = value;
  }
  return present;
}
