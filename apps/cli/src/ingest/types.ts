/** Shapes shared by the ingest pipeline. Field names follow the bulk API contract. */
import type { OptionalDocumentFieldName } from '@tessera/domain';

export interface DocumentAcl {
  users?: string[];
  groups?: string[];
}

/** One NDJSON line of `documents:bulk`. Exactly one of text/html is set. */
/** With the optional fields (lastModified, …) as written; the server validates them. */
export interface TesseraDocument extends Partial<Record<OptionalDocumentFieldName, string>> {
  id: string;
  title: string;
  text?: string;
  html?: string;
  url?: string;
  metadata?: Record<string, unknown>;
  acl?: DocumentAcl;
}

/** A document plus where it came from, so failures can name the file (and line). */
export interface SourcedDocument {
  document: TesseraDocument;
  /** e.g. `docs/guide.md` or `export.jsonl:12` */
  source: string;
}

export interface ReadFailure {
  source: string;
  message: string;
  /** True when the whole file could not be used (so it does not count as read). */
  wholeFile: boolean;
}

export type ReadItem = ({ kind: 'document' } & SourcedDocument) | ({ kind: 'failure' } & ReadFailure);
