import type { DocumentAcl, DocumentListRequest, DocumentSummary, StoredDocument, UpsertOutcome } from '@tessera/domain';

/**
 * A document ready for storage and indexing: text converted, sanitized and normalized, flags found
 * (a quarantined document is stored but never searched or fetched). Every field a stored document
 * has but the time it was stored, so a new document field is declared once, in the domain.
 */
export type IndexableDocument = Omit<StoredDocument, 'updatedAt'>;

/** Whom results are for: documents whose ACL names none of these are invisible. */
export interface ReaderFilter {
  readonly identifiers: readonly string[];
  readonly groups: readonly string[];
}

export interface SearchHit {
  readonly id: string;
  readonly title: string;
  readonly url: string | null;
  readonly score: number;
}

export interface SearchRequest {
  readonly query: string;
  readonly reader: ReaderFilter;
  readonly limit: number;
}

/** What a backend's in-memory caches hold and how its answers were served; counts are totals since the process started. */
export interface SearchCacheStats {
  readonly postingsBytes: number;
  readonly postingsBudgetBytes: number;
  readonly documentBytes: number;
  readonly documentBudgetBytes: number;
  /**
   * Whether index change announcements are heard now; null where nothing is to listen: no cache,
   * listening off, the embedded PGlite, or no reader has searched or fetched yet (the tenant API).
   */
  readonly listening: boolean | null;
  readonly answers: Readonly<Record<'search' | 'fetch', Readonly<Record<'memory' | 'database', number>>>>;
}

/**
 * The search port. Every method takes the workspace id first: there is no unscoped path.
 * `get` without a reader is the tenant admin's view (no ACL filter).
 */
export interface SearchBackend {
  readonly name: string;
  createWorkspace(workspaceId: string): Promise<void>;
  dropWorkspace(workspaceId: string): Promise<void>;
  /** Upserts atomically: either every document of the batch is stored and indexed, or none. */
  upsert(workspaceId: string, documents: readonly IndexableDocument[]): Promise<UpsertOutcome[]>;
  delete(workspaceId: string, id: string): Promise<boolean>;
  /**
   * Changes who may read a document without analysing its content again (its content hash follows:
   * withAcl); false when there is none with that id. Shows in the next search and fetch by the same
   * rule as any write. A backend without it (OpenSearch) is given the whole document with upsert.
   */
  updateAcl?(workspaceId: string, id: string, acl: DocumentAcl, contentHash: string): Promise<boolean>;
  get(workspaceId: string, id: string, reader?: ReaderFilter): Promise<StoredDocument | null>;
  search(workspaceId: string, request: SearchRequest): Promise<SearchHit[]>;
  /**
   * A page of the workspace's documents for the tenant admin, quarantined ones included, without their
   * text: id order by code point, after `after`, at most `limit`, filtered on id or title (DocumentListRequest).
   */
  listDocuments(workspaceId: string, request: DocumentListRequest): Promise<DocumentSummary[]>;
  /** Quarantined documents of a workspace, for the tenant admin to review (id order, at most `limit`). */
  listQuarantined(workspaceId: string, limit: number): Promise<StoredDocument[]>;
  /** Makes a quarantined document searchable; false when there is none with that id. */
  release(workspaceId: string, id: string): Promise<boolean>;
  /**
   * Applies the workspace's flagged-documents policy to what is stored: with `quarantineFlagged`, every
   * flagged document is held back (released ones included); without, every held-back document is served.
   * Visible to the next search and fetch on every replica. Returns how many documents changed.
   */
  applyFlaggedPolicy(workspaceId: string, quarantineFlagged: boolean): Promise<number>;
  /** Readiness: throws when the backend cannot serve. */
  ping(): Promise<void>;
  /** For metrics, read at scrape time: only a backend that caches in memory has it (PostgreSQL). */
  cacheStats?(): SearchCacheStats;
  /** For metrics: outcomes of moves the backend starts on its own (OpenSearch's automatic rebalance). */
  watchRebalances?(listener: (outcome: 'moved' | 'unchanged' | 'busy' | 'error') => void): void;
}

export const SEARCH_BACKEND = Symbol('SEARCH_BACKEND');
