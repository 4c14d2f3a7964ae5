/** Shapes shared by the ingest pipeline. Field names follow the bulk API contract. */

export interface DocumentAcl {
  users?: string[];
  groups?: string[];
}

/** One NDJSON line of `documents:bulk`. Exactly one of text/html is set. */
export interface TesseraDocument {
  id: string;
  title: string;
  text?: string;
  html?: string;
  url?: string;
  metadata?: Record<string, unknown>;
  acl?: DocumentAcl;
  /** When the source last changed (ISO 8601); the server validates it. */
  lastModified?: string;
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
