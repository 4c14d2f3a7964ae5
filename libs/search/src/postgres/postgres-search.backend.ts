import { databaseOutage, documentTable, INDEX_CHANGE_CHANNEL, inWorkspaceTransaction, listenOnChannel, lockWorkspaceIndexExclusively, readInWorkspace, selfScopedStatement } from '@tessera/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { analyzeQuery } from '../analysis';
import type { IndexableDocument, ReaderFilter, SearchBackend, SearchCacheStats, SearchHit, SearchRequest } from '../search-backend.port';
import { canReadDocument, UnavailableError, type DocumentAcl, type DocumentListRequest, type DocumentSummary, type StoredDocument, type UpsertOutcome } from '@tessera/domain';
import { CachedBm25Search } from './cached-search';
import type { IndexDatabase } from './index-reads';
import { searchSnapshot } from './snapshot-search';
import { ConcurrencyLimit } from './concurrency-limit';
import { IndexChangeFeed } from './index-change-feed';
import { PostingsCache } from './postings-cache';
import { lockDocumentWrites } from './index-locks';
import { buildPostings, DocumentPostings } from './postings';
import { deletePostings, detectPostingsWriteMethod, newPostingBlock, PostingsWriteMethod, StoredDocumentText, writePostings } from './postings-writer';

type ExistingRow = documentTable.DocumentIndexRow;

/**
 * Searches ranked over a snapshot of their own (no cache, or the index moving under the cached
 * attempts) at once per process; the others wait. Each holds all postings of its terms in memory
 * while it ranks, so this bounds that memory.
 */
export const SNAPSHOT_SEARCH_CONCURRENCY = 4;

/** Postings held in memory per process unless configured otherwise (SEARCH_CACHE_MB). */
export const DEFAULT_POSTINGS_CACHE_BYTES = 128 * 1024 * 1024;
/** Fetched documents held in memory per process unless configured otherwise (DOCUMENT_CACHE_MB). */
export const DEFAULT_DOCUMENT_CACHE_BYTES = 128 * 1024 * 1024;

export interface PostgresSearchOptions {
  /** Memory for term postings held between searches; 0 reads every search's postings from the database (one snapshot each). */
  readonly postingsCacheBytes?: number;
  /** Memory for fetched documents, served again while the index has not changed; 0 reads every fetch. */
  readonly documentCacheBytes?: number;
  /**
   * Listen for the database's index change announcements (default true), so that memory answers
   * without asking the database while nothing changed. Off: every search and fetch asks the database.
   */
  readonly listenForChanges?: boolean;
}

interface ReadableDocumentRow {
  generation: number;
  /** The `documents` row as jsonb; null when there is none the reader may read. */
  document: Record<string, unknown> | null;
}

/** A workspace id no workspace has (readiness reads through it). */
const NO_WORKSPACE = '00000000-0000-0000-0000-000000000000';

/** Every function a search or fetch reads through (index-reads.ts, and the fetch above), once each. */
const READINESS_SQL = `SELECT (SELECT count(*) FROM tessera_readable_document_row($1, '', '{}', '{}'))
  + (SELECT count(*) FROM tessera_term_posting_blocks($1, '{}'))
  + (SELECT count(*) FROM tessera_candidate_metadata($1, '{}')) AS found`;

/**
 * Documents and their BM25 postings in PostgreSQL (or the embedded PGlite): the source of truth and
 * the index live in one database, so every write is one transaction and never half-applied.
 */
export class PostgresSearchBackend implements SearchBackend {
  readonly name = 'postgres';
  private readonly postingsCache: PostingsCache;
  private readonly cachedSearch: CachedBm25Search;
  /** Absent when nothing is cached or listening is off. */
  readonly changes?: IndexChangeFeed;
  /** Readers' searches and fetches answered from memory alone, or with the database (since start). */
  private readonly answers = { search: { memory: 0, database: 0 }, fetch: { memory: 0, database: 0 } };
  private writeMethod?: Promise<PostingsWriteMethod>;
  /** Searches ranked outside the cache, each holding its terms' postings until it answers. */
  private readonly snapshotSearches = new ConcurrencyLimit(SNAPSHOT_SEARCH_CONCURRENCY);

  constructor(
    private readonly dataSource: DataSource,
    options: PostgresSearchOptions = {},
  ) {
    const postingsBytes = options.postingsCacheBytes ?? DEFAULT_POSTINGS_CACHE_BYTES;
    const documentBytes = postingsBytes > 0 ? (options.documentCacheBytes ?? DEFAULT_DOCUMENT_CACHE_BYTES) : 0;
    if (postingsBytes > 0 && options.listenForChanges !== false) {
      this.changes = new IndexChangeFeed(
        (handlers) => listenOnChannel(dataSource, INDEX_CHANGE_CHANNEL, handlers),
        (workspaceId, generation) => this.postingsCache.changed(workspaceId, generation),
        () => this.postingsCache.changedAll(),
      );
    }
    this.postingsCache = new PostingsCache(postingsBytes, documentBytes, this.changes);
    this.cachedSearch = new CachedBm25Search(this.postingsCache);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.changes?.stop();
  }

  /** For metrics: what the caches hold, whether index changes are heard, and where answers came from. */
  cacheStats(): SearchCacheStats {
    const cache = this.postingsCache;
    return {
      postingsBytes: cache.size,
      postingsBudgetBytes: cache.budgetBytes,
      documentBytes: cache.documentSize,
      documentBudgetBytes: cache.documentBudgetBytes,
      listening: this.changes?.active ? this.changes.live : null,
      answers: { search: { ...this.answers.search }, fetch: { ...this.answers.fetch } },
    };
  }

  /**
   * A write transaction in the workspace's scope. Once it ends, unless `wrote` says that nothing was
   * written (it always is after a failure), what this process holds of the workspace is dropped and
   * no longer trusted: its own next answer never waits for the database's announcement of the write.
   */
  private async write<T>(workspaceId: string, work: (em: EntityManager) => Promise<T>, wrote: (result: T) => boolean = () => true): Promise<T> {
    let result: T;
    try {
      result = await inWorkspaceTransaction(this.dataSource, workspaceId, work);
    } catch (error) {
      this.postingsCache.changed(workspaceId);
      throw unavailableIfOutage('write', error);
    }
    if (wrote(result)) this.postingsCache.changed(workspaceId);
    return result;
  }

  async createWorkspace(workspaceId: string): Promise<void> {
    await this.write(workspaceId, (em) =>
      em.query(`INSERT INTO workspace_search_stats (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING`, [workspaceId]),
    );
  }

  async dropWorkspace(workspaceId: string): Promise<void> {
    await this.write(workspaceId, async (em) => {
      await lockWorkspaceIndexExclusively(em, workspaceId);
      await em.query(`DELETE FROM posting_blocks WHERE workspace_id = $1`, [workspaceId]);
      await documentTable.deleteWorkspaceDocuments(em, workspaceId);
      await em.query(
        `UPDATE workspace_search_stats SET doc_count = 0, total_title_length = 0, total_body_length = 0,
                generation = generation + 1
          WHERE workspace_id = $1`,
        [workspaceId],
      );
    });
  }

  async upsert(workspaceId: string, documents: readonly IndexableDocument[]): Promise<UpsertOutcome[]> {
    if (documents.length === 0) return [];
    // Analysis is CPU work: do it before the transaction opens so locks are held briefly.
    const prepared = documents.map((document) => ({ document, postings: buildPostings(document) }));
    const writeMethod = await guarded('write', this.postingsWriteMethod());
    return this.write(workspaceId, async (em) => {
      await lockDocumentWrites(em, workspaceId, documents.map((d) => d.id));
      const existing = await documentTable.findDocumentIndexRows(em, workspaceId, documents.map((d) => d.id));
      const outcomes: UpsertOutcome[] = [];
      const changed: Array<{ document: IndexableDocument; postings: DocumentPostings; previous?: ExistingRow }> = [];
      // Later lines win when a batch names the same id twice.
      const lastIndex = new Map(documents.map((d, i) => [d.id, i]));
      prepared.forEach((entry, index) => {
        const previous = existing.get(entry.document.id);
        if (lastIndex.get(entry.document.id) !== index || previous?.content_hash === entry.document.contentHash) {
          outcomes.push(previous ? 'unchanged' : 'created');
          return;
        }
        outcomes.push(previous ? 'updated' : 'created');
        changed.push({ ...entry, previous });
      });
      if (changed.length === 0) return outcomes;

      const replaced = changed.filter((c) => c.previous).map((c) => c.previous!);
      if (replaced.length > 0) await deletePostings(em, workspaceId, await this.storedTexts(em, workspaceId, replaced));
      const block = await newPostingBlock(em);
      const pks = await documentTable.writeDocuments(
        em,
        workspaceId,
        block,
        changed.map((c) => ({ document: c.document, titleLength: c.postings.titleLength, bodyLength: c.postings.bodyLength, termCount: c.postings.terms.length })),
      );

      await writePostings(em, writeMethod, workspaceId, block, changed.map((c, i) => ({ docPk: pks[i]!, postings: c.postings })));

      const added = changed.filter((c) => !c.previous).length;
      const titleDelta = changed.reduce((sum, c) => sum + c.postings.titleLength - (c.previous?.title_length ?? 0), 0);
      const bodyDelta = changed.reduce((sum, c) => sum + c.postings.bodyLength - (c.previous?.body_length ?? 0), 0);
      await updateStats(em, workspaceId, added, titleDelta, bodyDelta);
      return outcomes;
    }, (outcomes) => outcomes.some((outcome) => outcome !== 'unchanged'));
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    return this.write(workspaceId, async (em) => {
      await lockDocumentWrites(em, workspaceId, [id]);
      const row = await documentTable.deleteDocument(em, workspaceId, id);
      if (!row) return false;
      await deletePostings(em, workspaceId, [{ pk: row.pk, title: row.title, text: row.text, block: String(row.posting_block), termCount: row.term_count }]);
      await updateStats(em, workspaceId, -1, -row.title_length, -row.body_length);
      return true;
    }, (deleted) => deleted);
  }

  async updateAcl(workspaceId: string, id: string, acl: DocumentAcl, contentHash: string): Promise<boolean> {
    return this.write(workspaceId, async (em) => {
      await lockDocumentWrites(em, workspaceId, [id]);
      const updated = await documentTable.updateDocumentAcl(em, workspaceId, id, acl, contentHash);
      // A new generation: every process drops what it holds of the workspace's ACL classes and documents.
      if (updated) await updateStats(em, workspaceId, 0, 0, 0);
      return updated;
    }, (updated) => updated);
  }

  get(workspaceId: string, id: string, reader?: ReaderFilter): Promise<StoredDocument | null> {
    return guarded('fetch', this.getDocument(workspaceId, id, reader));
  }

  private async getDocument(workspaceId: string, id: string, reader?: ReaderFilter): Promise<StoredDocument | null> {
    if (reader && this.postingsCache.enabled) return this.readableDocument(workspaceId, id, reader);
    const rows = await selfScopedStatement<Record<string, unknown>>(this.dataSource, 'tessera_document', documentTable.DOCUMENT_SQL, [
      workspaceId,
      id,
      reader ? reader.identifiers : null,
      reader ? reader.groups : null,
    ]);
    const row = rows[0];
    return row ? documentTable.toStoredDocument(row) : null;
  }

  /**
   * A reader's fetch: from memory while the workspace's view is vouched current and holds the
   * document (checked against the reader by the database's rule), else one read that also confirms
   * the view; what the reader may not read is never returned, and never cached from this read.
   */
  private async readableDocument(workspaceId: string, id: string, reader: ReaderFilter): Promise<StoredDocument | null> {
    this.changes?.ensureStarted();
    const cache = this.postingsCache;
    const view = cache.view(workspaceId);
    if (view && cache.current(view)) {
      const held = cache.document(view, id);
      if (held) {
        this.answers.fetch.memory++;
        return canReadDocument(reader, held) ? held : null;
      }
    }
    this.answers.fetch.database++;
    const ticket = cache.ticket(workspaceId);
    const rows = await selfScopedStatement<ReadableDocumentRow>(this.dataSource, 'tessera_readable_document_row', documentTable.READABLE_DOCUMENT_SQL, [
      workspaceId,
      id,
      reader.identifiers,
      reader.groups,
    ]);
    const row = rows[0];
    if (!row) return null;
    const document = row.document === null ? null : documentTable.toStoredDocument(row.document);
    const current = cache.viewFor(workspaceId, row.generation);
    if (current) {
      // Held documents are served only while announcements vouch for them: none where nothing listens (PGlite).
      if (document && this.changes?.active) cache.putDocument(current, document);
      cache.confirm(current, ticket);
    }
    return document;
  }

  search(workspaceId: string, request: SearchRequest): Promise<SearchHit[]> {
    return guarded('search', this.rank(workspaceId, request));
  }

  private async rank(workspaceId: string, request: SearchRequest): Promise<SearchHit[]> {
    const terms = analyzeQuery(request.query);
    if (terms.length === 0 || request.limit < 1) return [];
    this.changes?.ensureStarted();
    // Its statements open their workspace scope themselves: one round trip each.
    let asked = false;
    const db: IndexDatabase = {
      run: (name, text, values) => {
        asked = true;
        return selfScopedStatement(this.dataSource, name, text, values);
      },
      inSnapshot: (work) => {
        asked = true;
        return readInWorkspace(this.dataSource, workspaceId, (scoped) => work((name, text, values) => scoped.prepared(name, text, values)), { snapshot: true });
      },
    };
    const cached = this.postingsCache.enabled ? await this.cachedSearch.search(db, workspaceId, terms, request.reader, request.limit) : null;
    if (cached) {
      this.answers.search[asked ? 'database' : 'memory']++;
      return cached;
    }
    this.answers.search.database++;
    // No cache, or the index moved under every attempt (heavy writes): the same ranking over one
    // snapshot of the database, its postings held in memory for this search alone, so only a few at once.
    return this.snapshotSearches.run(() =>
      readInWorkspace(
        this.dataSource,
        workspaceId,
        (scoped) => searchSnapshot((name, text, values) => scoped.prepared(name, text, values), workspaceId, terms, request.reader, request.limit),
        { snapshot: true },
      ),
    );
  }

  async listDocuments(workspaceId: string, request: DocumentListRequest): Promise<DocumentSummary[]> {
    if (request.limit < 1) return [];
    return guarded('list documents', readInWorkspace(this.dataSource, workspaceId, (db) => documentTable.listDocuments(db, workspaceId, request)));
  }

  async listQuarantined(workspaceId: string, limit: number): Promise<StoredDocument[]> {
    return guarded(
      'list quarantined',
      readInWorkspace(this.dataSource, workspaceId, (db) => documentTable.listQuarantinedDocuments(db, workspaceId, limit)),
    );
  }

  async release(workspaceId: string, id: string): Promise<boolean> {
    return this.write(workspaceId, async (em) => {
      const released = await documentTable.releaseQuarantinedDocument(em, workspaceId, id);
      if (released) await updateStats(em, workspaceId, 0, 0, 0);
      return released;
    }, (released) => released);
  }

  async applyFlaggedPolicy(workspaceId: string, quarantineFlagged: boolean): Promise<number> {
    return this.write(workspaceId, async (em) => {
      const count = await documentTable.applyFlaggedPolicy(em, workspaceId, quarantineFlagged);
      // A new generation, as for any index write: caches here drop what they hold, other replicas hear of it.
      if (count > 0) await updateStats(em, workspaceId, 0, 0, 0);
      return count;
    }, (changed) => changed > 0);
  }

  /** Detected on first use and kept; a failed detection (database down) is asked again next time. */
  private postingsWriteMethod(): Promise<PostingsWriteMethod> {
    this.writeMethod ??= detectPostingsWriteMethod(this.dataSource).catch((error: unknown) => {
      this.writeMethod = undefined;
      throw error;
    });
    return this.writeMethod;
  }

  /**
   * Readiness asks the way search and fetch do (a named prepared statement on the pool, through the
   * workspace-scoped functions they call, as the application's role), for a workspace that does not
   * exist: one round trip of index lookups. A bare `SELECT 1` answered while every search failed.
   */
  async ping(): Promise<void> {
    await guarded('ping', selfScopedStatement(this.dataSource, 'tessera_readiness', READINESS_SQL, [NO_WORKSPACE]));
  }

  /** The stored title and text of documents about to be replaced, whose postings are found from them. */
  private async storedTexts(em: EntityManager, workspaceId: string, documents: readonly ExistingRow[]): Promise<StoredDocumentText[]> {
    const rows = await documentTable.findDocumentTexts(em, workspaceId, documents.map((d) => d.pk));
    const known = new Map(documents.map((d) => [String(d.pk), d]));
    return rows.map((r) => {
      const stored = known.get(String(r.pk))!;
      return { pk: String(r.pk), title: r.title, text: r.text, block: String(stored.posting_block), termCount: stored.term_count };
    });
  }
}

/**
 * An upsert, so that a workspace whose stats row was never created still counts correctly. Every call
 * raises the workspace's index generation, which in-memory readers compare against (a row it creates
 * starts at 1, above the 0 of a workspace created empty). Called last in a write transaction: every
 * writer to the workspace waits for this row's lock, so it is held only from here to the commit.
 */
async function updateStats(em: EntityManager, workspaceId: string, docs: number, titleLength: number, bodyLength: number) {
  await em.query(
    `INSERT INTO workspace_search_stats AS s (workspace_id, doc_count, total_title_length, total_body_length, generation)
     VALUES ($1, $2, $3, $4, 1)
     ON CONFLICT (workspace_id) DO UPDATE
        SET doc_count = s.doc_count + EXCLUDED.doc_count,
            total_title_length = s.total_title_length + EXCLUDED.total_title_length,
            total_body_length = s.total_body_length + EXCLUDED.total_body_length,
            generation = s.generation + 1`,
    [workspaceId, docs, titleLength, bodyLength],
  );
}

/** An outage of the database (PostgreSQL or PGlite) as the one UnavailableError; anything else as it is. */
function unavailableIfOutage(operation: string, error: unknown): unknown {
  if (error instanceof UnavailableError) return error;
  const reason = databaseOutage(error);
  return reason ? new UnavailableError(operation, reason) : error;
}

async function guarded<T>(operation: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw unavailableIfOutage(operation, error);
  }
}
