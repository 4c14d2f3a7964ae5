import type { StoredDocument } from '@tessera/domain';
import type { CandidateMetadata, TermPostings, TermWeights, WorkspaceIndex } from './scorer';

/**
 * Taken before asking the database, and handed back with its answer: the answer confirms a view as
 * current only if nothing was announced for the workspace in between and the feed kept listening.
 */
export interface ConfirmationTicket {
  readonly epoch: number;
  readonly stamp: number;
  readonly at: number;
}

/** A term's postings, and their weights for the readerships that searched it lately (at most WEIGHTINGS_PER_TERM). */
export interface CacheEntry {
  readonly view: GenerationView;
  readonly postings: TermPostings;
  readonly weights: Map<number | string, TermWeights>;
  bytes: number;
}

export interface DocumentEntry {
  readonly view: GenerationView;
  readonly document: StoredDocument;
  readonly bytes: number;
}

/**
 * What this process holds of one workspace at one generation: the scorer's index (once the
 * workspace's classes were read), the postings of searched terms, candidates' metadata and fetched
 * documents.
 */
export class GenerationView {
  index?: WorkspaceIndex;
  readonly terms = new Map<string, CacheEntry>();
  /** Search-result metadata of documents that were candidates, by primary key. */
  readonly metadata = new Map<number, CandidateMetadata>();
  metadataBytes = 0;
  /** Whole documents that were fetched, by id (only while this generation is current). */
  readonly documents = new Map<string, DocumentEntry>();
  /** When the database last said this generation is current, under which feed epoch and stamp. */
  confirmation?: ConfirmationTicket;

  constructor(
    readonly workspaceId: string,
    readonly generation: number,
  ) {}

  get slotBytes(): number {
    return this.index?.slotBytes ?? 0;
  }
}
