import { DocumentAcl } from './acl';
import type { OptionalDocumentFields } from './document-fields';

export type DocumentMetadata = Record<string, unknown>;

/**
 * A document as stored and served: text already converted, sanitized and normalized. Its optional
 * fields (lastModified, …) are declared in OPTIONAL_DOCUMENT_FIELDS.
 */
export interface StoredDocument extends OptionalDocumentFields {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly url: string | null;
  readonly metadata: DocumentMetadata;
  readonly acl: DocumentAcl;
  readonly contentHash: string;
  readonly updatedAt: Date;
  /** Hygiene findings (instruction-like text); empty when clean. */
  readonly flags: readonly string[];
  readonly quarantined: boolean;
}

/**
 * A line of a workspace's document list (the tenant admin's view): what identifies and describes a
 * document, without its text; `size` is the stored text's length in Unicode code points.
 */
export interface DocumentSummary extends OptionalDocumentFields {
  readonly id: string;
  readonly title: string;
  readonly url: string | null;
  readonly updatedAt: Date;
  readonly flags: readonly string[];
  readonly quarantined: boolean;
  readonly size: number;
}

/**
 * One page of a document list: ids in ascending code-point order (the order of their UTF-8 bytes),
 * after `after` when given; with `filter`, only documents whose id or title contains it,
 * case-insensitively (both sides lowercased).
 */
export interface DocumentListRequest {
  readonly filter?: string;
  readonly after?: string;
  readonly limit: number;
}

/** ISO 8601: a date, or a date and time with seconds optional, fractions and a zone (Z or ±hh:mm) required with a time. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A source's modification time as stored: an ISO 8601 date or date-time with a zone, normalized to
 * UTC (`2026-12-07T20:31:00.000Z`); null for anything else (a day or hour that does not exist, no
 * zone, not a string), years 1000 to 9999 only.
 */
export function normalizeLastModified(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const match = ISO_8601.exec(value);
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00'] = match;
  if (Number(year) < 1000 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const zoned = match[4] === undefined ? `${value}T00:00:00Z` : value;
  const time = new Date(zoned);
  if (Number.isNaN(time.getTime())) return null;
  // Date rolls 2026-02-30 over to March: the calendar day must be the one written.
  const local = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (local.getUTCMonth() !== Number(month) - 1 || local.getUTCDate() !== Number(day)) return null;
  return time.toISOString();
}

/** What a workspace does with documents whose text looks like instructions to a model. */
export type FlaggedDocumentPolicy = 'serve' | 'annotate' | 'quarantine';
export const DEFAULT_FLAGGED_DOCUMENT_POLICY: FlaggedDocumentPolicy = 'annotate';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** Limits that keep one document from crowding out everything else. */
export const DOCUMENT_LIMITS = {
  titleChars: 1_000,
  textBytes: 5 * 1024 * 1024,
  urlChars: 2_048,
  metadataBytes: 16 * 1024,
  aclEntries: 1_000,
} as const;
