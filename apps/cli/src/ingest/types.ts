/** Shapes shared by the ingest pipeline. Field names follow the bulk API contract. */
import type { BulkDocument, BulkDocumentAcl } from '@tessera/domain';

/** The shared document file formats' shapes (libs/domain document-files), under the CLI's names. */
export type DocumentAcl = BulkDocumentAcl;
export type TesseraDocument = BulkDocument;

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
