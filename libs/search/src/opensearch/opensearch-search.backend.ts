import type { Client } from '@opensearch-project/opensearch';
import type { DocumentListRequest, DocumentSummary, StoredDocument, UpsertOutcome } from '@tessera/domain';
import { analyzeQuery } from '../analysis';
import { INSTRUCTION_FLAGS } from '../hygiene/instruction-detector';
import type { IndexableDocument, ReaderFilter, SearchBackend, SearchHit, SearchRequest } from '../search-backend.port';
import { AutoRebalancer, type RebalanceListener } from './auto-rebalance';
import { upsertDocuments } from './bulk-upsert';
import { documentListBody, toDocumentSummary, type DocumentListHit } from './document-list';
import { readableBy, toStoredDocument, type DocumentSource } from './document-source';
import { MAPPING_VERSION } from './index-definition';
import { documentId, WORKSPACE_ALIAS_PREFIX, workspaceAlias } from './index-names';
import { MappingUpgrader, type IndexUpgradeReport } from './mapping-upgrade';
import { MoveLocks } from './move-lock';
import { createClient, RequestOptions, type OpenSearchBackendOptions } from './opensearch-client';
import { guarded, isMissingIndex, OpenSearchUnavailableError } from './opensearch-errors';
import { searchBody } from './search-query';
import { WorkspaceIndices, type ReindexResult, type WorkspaceTier } from './workspace-indices';

const DEFAULT_BULK_RETRY = { attempts: 4, baseDelayMs: 100 } as const;

interface SearchResponseHit {
  readonly _score?: number | null;
  readonly _source: Pick<DocumentSource, 'id' | 'title' | 'url'>;
  readonly sort?: unknown[];
}

/**
 * Documents in OpenSearch, each workspace behind a stable, filtered and routed alias
 * (`tessera-<workspace id>`) on an index it shares with other small workspaces or on one of its own
 * (see WorkspaceIndices). OpenSearch is both the store and the index: `get` reads `_source`, writes
 * go through `_bulk`. Every request names the workspace's alias, every `_id` starts with the
 * workspace id, and every query filters on `workspace_id` again.
 *
 * Guarantees differ from the PostgreSQL backend in one way: `upsert` is atomic per document, not per
 * batch (see PartialUpsertError and docs/opensearch.md).
 */
export class OpenSearchSearchBackend implements SearchBackend {
  readonly name = 'opensearch';
  private readonly client: Client;
  private readonly requests: RequestOptions;
  private readonly indices: WorkspaceIndices;
  private readonly upgrader: MappingUpgrader;
  /** Null when OpenSearchBackendOptions.autoRebalance is false. */
  private readonly rebalancer: AutoRebalancer | null;

  constructor(private readonly options: OpenSearchBackendOptions) {
    this.client = createClient(options);
    this.requests = new RequestOptions(options);
    this.indices = new WorkspaceIndices(
      this.client,
      this.requests,
      {
        replicas: options.replicas ?? 1,
        sharedShards: options.sharedShards,
        dedicatedAboveDocuments: options.dedicatedAboveDocuments,
        // Longer than the longest copy, so only a dead mover's lease ever expires.
        moveLeaseMs: (options.reindexTimeoutMs ?? 30 * 60_000) + 5 * 60_000,
      },
      options.mappingVersion ?? MAPPING_VERSION,
    );
    const upgradeTimeoutMs = options.reindexTimeoutMs ?? 30 * 60_000;
    // The lease outlives both passes of a live upgrader, so only a dead one's ever expires.
    const upgradeLocks = new MoveLocks(this.client, this.requests, options.replicas ?? 1, 2 * upgradeTimeoutMs + 5 * 60_000);
    this.upgrader = new MappingUpgrader(this.client, this.requests, upgradeLocks, {
      target: options.mappingVersion ?? MAPPING_VERSION,
      timeoutMs: upgradeTimeoutMs,
      pollMs: options.upgradePollMs,
      signal: options.signal,
    });
    const auto = options.autoRebalance ?? {};
    this.rebalancer = auto === false ? null : new AutoRebalancer(this.indices, auto.recountAfterMs ?? 60_000);
  }

  /** Outcomes of the automatic rebalances (for metrics); see AutoRebalancer. */
  watchRebalances(listener: RebalanceListener): void {
    this.rebalancer?.listen(listener);
  }

  /** Resolves once no automatic rebalance is running (tests; shutdown waits for it). */
  rebalancesIdle(): Promise<void> {
    return this.rebalancer?.idle() ?? Promise.resolve();
  }

  createWorkspace(workspaceId: string): Promise<void> {
    return this.indices.create(workspaceId);
  }

  async dropWorkspace(workspaceId: string): Promise<void> {
    await this.indices.drop(workspaceId);
    this.rebalancer?.forget(workspaceId);
  }

  /** Rebuilds the workspace's index with the current mapping version; see WorkspaceIndices.reindex. */
  reindexWorkspace(workspaceId: string): Promise<ReindexResult> {
    return this.indices.reindex(workspaceId);
  }

  /**
   * Brings every Tessera index to the current mapping in place when the changes on the way are additive
   * (see MappingUpgrader); indices that need a rebuild are reported `reindex_needed` (reindexWorkspace).
   */
  upgradeIndexMappings(onIndex?: (report: IndexUpgradeReport) => void): Promise<IndexUpgradeReport[]> {
    return this.upgrader.upgradeAll(onIndex);
  }

  /** The same for one concrete index (`tessera-<workspace id>-v<n>` or `tessera.shared-v<n>`). */
  upgradeIndexMapping(index: string): Promise<IndexUpgradeReport> {
    return this.upgrader.upgrade(index);
  }

  /** The workspaces whose alias points at a concrete index (to reindex the ones an upgrade cannot reach). */
  async workspacesOn(index: string): Promise<string[]> {
    const response = await guarded('resolve alias', () => this.client.indices.getAlias({ index }, this.requests.admin([404])));
    if (response.statusCode === 404) return [];
    const aliases = Object.keys((response.body as Record<string, { aliases?: Record<string, unknown> }>)[index]?.aliases ?? {});
    return aliases.filter((alias) => alias.startsWith(WORKSPACE_ALIAS_PREFIX)).map((alias) => alias.slice(WORKSPACE_ALIAS_PREFIX.length)).sort();
  }

  /** Moves the workspace to the shared index or to one of its own, reads uninterrupted; see WorkspaceIndices.move. */
  moveWorkspace(workspaceId: string, tier: WorkspaceTier): Promise<ReindexResult> {
    return this.indices.move(workspaceId, tier);
  }

  /** Moves the workspace to the tier its size calls for (OPENSEARCH_DEDICATED_ABOVE_DOCUMENTS); null when it stays. */
  rebalanceWorkspace(workspaceId: string): Promise<ReindexResult | null> {
    return this.indices.rebalance(workspaceId);
  }

  /** Where the workspace's documents live and how many there are; null when it has no index. */
  workspacePlacement(workspaceId: string) {
    return this.indices.placement(workspaceId);
  }

  async upsert(workspaceId: string, documents: readonly IndexableDocument[]): Promise<UpsertOutcome[]> {
    const outcomes = await upsertDocuments(
      {
        client: this.client,
        workspaceId,
        alias: workspaceAlias(workspaceId),
        requestOptions: (ignore) => this.requests.workspace(workspaceId, ignore),
        retry: this.options.bulkRetry ?? DEFAULT_BULK_RETRY,
        createIndex: () => this.indices.create(workspaceId),
      },
      documents,
    );
    this.rebalancer?.noteWrite(workspaceId, outcomes.filter((outcome) => outcome === 'created').length);
    return outcomes;
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const index = workspaceAlias(workspaceId);
    const options = await this.requests.workspace(workspaceId, [404]);
    // wait_for: once delete answers, search no longer finds the document.
    const response = await guarded('delete', () => this.client.delete({ index, id: documentId(workspaceId, id), refresh: 'wait_for' }, options));
    const deleted = response.body?.result === 'deleted';
    if (deleted) this.rebalancer?.noteWrite(workspaceId, -1);
    return deleted;
  }

  /** By id from the alias (real-time: sees writes not yet refreshed), then the same ACL rule as search. */
  async get(workspaceId: string, id: string, reader?: ReaderFilter): Promise<StoredDocument | null> {
    const index = workspaceAlias(workspaceId);
    const options = await this.requests.workspace(workspaceId, [404]);
    const response = await guarded('get', () => this.client.get({ index, id: documentId(workspaceId, id) }, options));
    if (response.statusCode === 404 || !response.body?.found) return null;
    const source = response.body._source as DocumentSource;
    // The _id already names the workspace; a get by id ignores the alias's filter, so check the owner too.
    if (source.workspace_id !== workspaceId) return null;
    const document = toStoredDocument(source);
    return readableBy(document, reader) ? document : null;
  }

  async search(workspaceId: string, request: SearchRequest): Promise<SearchHit[]> {
    // Same early exit as the PostgreSQL backend: nothing to match, no round trip.
    if (request.limit < 1 || analyzeQuery(request.query).length === 0) return [];
    const index = workspaceAlias(workspaceId);
    const options = await this.requests.workspace(workspaceId, [404]);
    const response = await guarded('search', () => this.client.search({ index, body: searchBody(workspaceId, request, this.options) }, options));
    if (response.statusCode === 404) {
      // A workspace without an index (dropped, or never written to) has no documents.
      if (isMissingIndex(response.body)) return [];
      throw new OpenSearchUnavailableError('search', 'answered 404');
    }
    const hits = (response.body.hits?.hits ?? []) as SearchResponseHit[];
    return hits.map((hit) => ({
      id: hit._source.id,
      title: hit._source.title,
      url: hit._source.url ?? null,
      score: Number(hit._score ?? hit.sort?.[0] ?? 0),
    }));
  }

  async listDocuments(workspaceId: string, request: DocumentListRequest): Promise<DocumentSummary[]> {
    if (request.limit < 1) return [];
    const index = workspaceAlias(workspaceId);
    const options = await this.requests.workspace(workspaceId, [404]);
    const response = await guarded('list documents', () => this.client.search({ index, body: documentListBody(workspaceId, request) }, options));
    if (response.statusCode === 404) return [];
    return ((response.body.hits?.hits ?? []) as DocumentListHit[]).map(toDocumentSummary);
  }

  async listQuarantined(workspaceId: string, limit: number): Promise<StoredDocument[]> {
    if (limit < 1) return [];
    const index = workspaceAlias(workspaceId);
    const options = await this.requests.workspace(workspaceId, [404]);
    const response = await guarded('list quarantined', () =>
      this.client.search(
        {
          index,
          body: {
            size: limit,
            track_total_hits: false,
            query: { bool: { filter: [{ term: { workspace_id: workspaceId } }, { term: { quarantined: true } }] } },
            sort: [{ id: { order: 'asc' } }],
          },
        },
        options,
      ),
    );
    if (response.statusCode === 404) return [];
    return ((response.body.hits?.hits ?? []) as Array<{ _source: DocumentSource }>).map((hit) => toStoredDocument(hit._source));
  }

  async release(workspaceId: string, id: string): Promise<boolean> {
    const index = workspaceAlias(workspaceId);
    const options = await this.requests.workspace(workspaceId, [404, 409]);
    const storedId = documentId(workspaceId, id);
    const current = await guarded('release', () => this.client.get({ index, id: storedId, _source: ['quarantined', 'workspace_id'] }, options));
    if (current.statusCode === 404 || !current.body?.found || current.body._source?.quarantined !== true) return false;
    if (current.body._source?.workspace_id !== workspaceId) return false;
    // Conditional on the version just read: a concurrent re-upload wins over a stale release.
    const response = await guarded('release', () =>
      this.client.update(
        {
          index,
          id: storedId,
          if_seq_no: current.body._seq_no,
          if_primary_term: current.body._primary_term,
          refresh: 'wait_for',
          require_alias: true,
          body: { doc: { quarantined: false, updated_at: new Date().toISOString() } },
        },
        options,
      ),
    );
    return response.body?.result === 'updated';
  }

  /** Page by page: the flagged documents whose quarantine differs, each updated on the version just read. */
  async applyFlaggedPolicy(workspaceId: string, quarantineFlagged: boolean): Promise<number> {
    const index = workspaceAlias(workspaceId);
    const options = await this.requests.workspace(workspaceId, [404, 409]);
    const query = {
      bool: { filter: [{ term: { workspace_id: workspaceId } }, { term: { quarantined: !quarantineFlagged } }, { terms: { flags: [...INSTRUCTION_FLAGS] } }] },
    };
    const seen = new Set<string>();
    let changed = 0;
    for (;;) {
      const response = await guarded('apply flagged policy', () =>
        this.client.search({ index, body: { size: 500, track_total_hits: false, _source: ['id'], query, sort: [{ id: { order: 'asc' } }] } }, options),
      );
      if (response.statusCode === 404) return changed;
      const ids = ((response.body.hits?.hits ?? []) as Array<{ _source: { id: string } }>).map((hit) => hit._source.id).filter((id) => !seen.has(id));
      if (ids.length === 0) return changed;
      for (const id of ids) {
        seen.add(id);
        const storedId = documentId(workspaceId, id);
        const current = await guarded('apply flagged policy', () => this.client.get({ index, id: storedId, _source: ['quarantined', 'flags'] }, options));
        const source = current.body?._source as Partial<DocumentSource> | undefined;
        if (!current.body?.found || !source?.flags?.length || source.quarantined === quarantineFlagged) continue;
        // Conditional on the version just read: a concurrent re-upload (which applies the new policy itself) wins.
        const response = await guarded('apply flagged policy', () =>
          this.client.update(
            { index, id: storedId, if_seq_no: current.body._seq_no, if_primary_term: current.body._primary_term, require_alias: true, body: { doc: { quarantined: quarantineFlagged, updated_at: new Date().toISOString() } } },
            options,
          ),
        );
        if (response.body?.result === 'updated') changed++;
      }
      await guarded('apply flagged policy', () => this.client.indices.refresh({ index }, options));
    }
  }

  /** Cluster health with a short timeout; red (a primary shard unassigned) counts as down. */
  async ping(): Promise<void> {
    const response = await guarded('ping', () => this.client.cluster.health({}, this.requests.ping()));
    if (response.body.status === 'red') throw new OpenSearchUnavailableError('ping', 'cluster health is red');
  }

  /** Closes pooled connections; Nest calls it on shutdown. */
  async onApplicationShutdown(): Promise<void> {
    await this.rebalancesIdle();
    await this.client.close();
  }
}
