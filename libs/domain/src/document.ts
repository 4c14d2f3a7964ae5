import { DocumentAcl } from './acl';

export type DocumentMetadata = Record<string, unknown>;

/** A document as stored and served: text already converted, sanitized and normalized. */
export interface StoredDocument {
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
