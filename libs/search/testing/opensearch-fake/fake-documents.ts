import { randomUUID } from 'node:crypto';
import type { FakeCluster } from './fake-cluster';
import { badRequest, FakeError, indexNotFound } from './fake-errors';
import type { FakeIndex, StoredDocument } from './fake-index';
import { filterSource } from './fake-search';

/** Lets a test make OpenSearch refuse one bulk item, e.g. `{ status: 429, type: 'es_rejected_execution_exception' }`. */
export type BulkItemOverride = (item: { action: string; index: string; id: string }) => { status: number; type: string } | undefined;

type Query = Record<string, string>;
type Json = Record<string, unknown>;

/** Document APIs: _bulk, _mget, _doc get/delete, _update, _reindex. */
export class FakeDocuments {
  bulkItemOverride: BulkItemOverride | undefined;

  constructor(private readonly cluster: FakeCluster) {}

  bulk(urlIndex: string | undefined, lines: readonly unknown[], query: Query): Json {
    const touched = new Set<FakeIndex>();
    const items: Json[] = [];
    for (let i = 0; i < lines.length; i++) {
      const [action, meta] = Object.entries(lines[i] as Json)[0] as [string, { _index?: string; _id?: string }];
      const indexName = meta._index ?? urlIndex ?? '';
      const id = meta._id ?? randomUUID();
      const source = action === 'delete' ? undefined : (lines[++i] as Json);
      items.push({ [action]: this.bulkItem(action, indexName, id, source, query.require_alias === 'true', touched) });
    }
    if (refreshes(query)) for (const index of touched) index.refresh();
    return { took: 1, errors: items.some((item) => (Object.values(item)[0] as Json).error !== undefined), items };
  }

  private bulkItem(action: string, indexName: string, id: string, source: Json | undefined, requireAlias: boolean, touched: Set<FakeIndex>): Json {
    try {
      const override = this.bulkItemOverride?.({ action, index: indexName, id });
      if (override) throw new FakeError(override.status, override.type, `rejected by the test (${override.type})`);
      const index = this.writeIndex(indexName, requireAlias, action !== 'delete');
      touched.add(index);
      if (action === 'delete') {
        const removed = index.remove(id);
        return { ...written(index, id, removed), result: removed ? 'deleted' : 'not_found', status: removed ? 200 : 404 };
      }
      if (action !== 'index' && action !== 'create') throw badRequest(`the fake does not implement bulk action [${action}]`);
      if (action === 'create' && index.documents.has(id)) {
        throw new FakeError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, document already exists`);
      }
      index.validate(id, source ?? {});
      const { result, stored } = index.put(id, source ?? {});
      return { ...written(index, id, stored), result, status: result === 'created' ? 201 : 200 };
    } catch (error) {
      if (!(error instanceof FakeError)) throw error;
      return { _index: indexName, _id: id, status: error.status, error: { ...error.detail(), index: indexName } };
    }
  }

  mget(urlIndex: string | undefined, body: Json, query: Query): Json {
    const requested = body.ids
      ? (body.ids as string[]).map((id) => ({ _index: urlIndex ?? '', _id: id }))
      : ((body.docs ?? []) as Array<{ _index?: string; _id: string }>).map((d) => ({ _index: d._index ?? urlIndex ?? '', _id: d._id }));
    const sourceSpec = sourceParameter(query);
    return {
      docs: requested.map(({ _index, _id }) => {
        try {
          const index = this.readIndex(_index);
          const stored = index.documents.get(_id);
          if (!stored) return { _index: index.name, _id, found: false };
          return { ...written(index, _id, stored), found: true, _source: filterSource(stored.source, sourceSpec) };
        } catch (error) {
          if (!(error instanceof FakeError)) throw error;
          return { _index, _id, error: error.detail() };
        }
      }),
    };
  }

  get(indexName: string, id: string, query: Query): { status: number; body: Json } {
    const index = this.readIndex(indexName);
    const stored = index.documents.get(id);
    if (!stored) return { status: 404, body: { _index: index.name, _id: id, found: false } };
    return { status: 200, body: { ...written(index, id, stored), found: true, _source: filterSource(stored.source, sourceParameter(query)) } };
  }

  delete(indexName: string, id: string, query: Query): { status: number; body: Json } {
    // Deletes never auto-create an index (OpenSearch skips auto-creation for them).
    const index = this.writeIndex(indexName, false, false);
    const removed = index.remove(id);
    if (refreshes(query)) index.refresh();
    const body = { ...written(index, id, removed), result: removed ? 'deleted' : 'not_found' };
    return { status: removed ? 200 : 404, body };
  }

  update(indexName: string, id: string, body: Json, query: Query): { status: number; body: Json } {
    const index = this.writeIndex(indexName, query.require_alias === 'true', true);
    const current = index.documents.get(id);
    if (!current) throw new FakeError(404, 'document_missing_exception', `[${id}]: document missing`, { index: index.name });
    if (query.if_seq_no !== undefined && (Number(query.if_seq_no) !== current.seqNo || Number(query.if_primary_term) !== current.primaryTerm)) {
      throw new FakeError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, required seqNo [${query.if_seq_no}]`);
    }
    if (!body.doc) throw badRequest('the fake implements partial updates with "doc" only');
    const merged = { ...current.source, ...(body.doc as Json) };
    if (JSON.stringify(merged) === JSON.stringify(current.source)) return { status: 200, body: { ...written(index, id, current), result: 'noop' } };
    index.validate(id, merged);
    const { stored } = index.put(id, merged);
    if (refreshes(query)) index.refresh();
    return { status: 200, body: { ...written(index, id, stored), result: 'updated' } };
  }

  reindex(body: Json, query: Query): Json {
    if (query.wait_for_completion === 'false') throw badRequest('the fake runs _reindex synchronously only');
    const sourceName = (body.source as { index?: string } | undefined)?.index ?? '';
    const destName = (body.dest as { index?: string } | undefined)?.index ?? '';
    const sources = this.cluster.resolve(sourceName);
    const dest = this.writeIndex(destName, false, true);
    let created = 0;
    let updated = 0;
    const failures: Json[] = [];
    for (const source of sources) {
      for (const [id, stored] of source.documents) {
        try {
          dest.validate(id, stored.source);
          if (dest.put(id, stored.source).result === 'created') created++;
          else updated++;
        } catch (error) {
          if (!(error instanceof FakeError)) throw error;
          failures.push({ index: dest.name, id, cause: error.detail(), status: error.status });
        }
      }
    }
    if (refreshes(query)) dest.refresh();
    const total = created + updated + failures.length;
    return { took: 1, timed_out: false, total, created, updated, deleted: 0, batches: 1, version_conflicts: 0, noops: 0, failures };
  }

  /** Reads through an alias need it to name exactly one index, as get/mget do. */
  private readIndex(name: string): FakeIndex {
    const indices = this.cluster.resolve(name);
    if (indices.length !== 1) throw badRequest(`alias [${name}] has more than one index associated with it, can't execute a single index op`, 'illegal_argument_exception');
    return indices[0]!;
  }

  private writeIndex(name: string, requireAlias: boolean, autoCreate: boolean): FakeIndex {
    let index = this.cluster.writeTarget(name, requireAlias);
    if (!index) {
      if (!autoCreate) throw indexNotFound(name);
      // OpenSearch creates a missing index on first write, with dynamic mappings: the accident
      // `require_alias=true` exists to prevent.
      this.cluster.createIndex(name, {});
      index = this.cluster.indices.get(name)!;
    }
    if (index.writeBlocked) throw new FakeError(403, 'cluster_block_exception', `index [${index.name}] blocked by: [FORBIDDEN/8/index write (api)];`);
    return index;
  }
}

function written(index: FakeIndex, id: string, stored: StoredDocument | undefined): Json {
  return {
    _index: index.name,
    _id: id,
    _version: stored?.version ?? 1,
    _seq_no: stored?.seqNo ?? 0,
    _primary_term: stored?.primaryTerm ?? 1,
    _shards: { total: 2, successful: 1, failed: 0 },
  };
}

function refreshes(query: Query): boolean {
  return query.refresh === 'true' || query.refresh === '' || query.refresh === 'wait_for';
}

function sourceParameter(query: Query): unknown {
  const spec = query._source_includes ?? query._source;
  if (spec === undefined || spec === 'true') return undefined;
  return spec === 'false' ? [] : spec.split(',');
}
