import { badRequest, indexNotFound } from './fake-errors';
import type { FakeOpenSearch, RecordedRequest } from './fake-opensearch';
import { runSearch } from './fake-search';

type Json = Record<string, unknown>;
type Answer = { status: number; body: unknown };

const ok = (body: unknown): Answer => ({ status: 200, body });

// Parameters every route accepts (the client may send them; OpenSearch accepts them everywhere).
const COMMON_PARAMS = ['pretty', 'human', 'error_trace', 'filter_path', 'timeout', 'cluster_manager_timeout', 'master_timeout'];

/**
 * Maps method + path to the fake's APIs. Like OpenSearch, a route refuses query parameters it does
 * not know ("contains unrecognized parameter"), so a misspelt `require_alias` or `refresh` fails here
 * the way it would fail against a cluster.
 */
export function routeRequest(fake: FakeOpenSearch, request: RecordedRequest, segments: readonly string[]): Answer {
  const { method, query } = request;
  const body = (request.body ?? {}) as Json;
  const [first, second, third] = segments;
  const allow = (...params: string[]) => checkParams(request, params);

  if (segments.length === 0) {
    allow();
    return ok({ name: 'fake-node', cluster_name: 'fake', version: { distribution: 'opensearch', number: '2.19.0' }, tagline: 'The OpenSearch Project: https://opensearch.org/' });
  }
  if (first === '_cluster' && second === 'health' && method === 'GET') {
    allow('local', 'wait_for_status', 'level');
    return ok({ cluster_name: 'fake', status: fake.cluster.health, timed_out: false, number_of_nodes: 1, number_of_data_nodes: 1, active_primary_shards: fake.cluster.indices.size, active_shards: fake.cluster.indices.size, unassigned_shards: 0 });
  }
  if (first === '_aliases' && segments.length === 1 && method === 'POST') {
    allow();
    return ok(fake.cluster.updateAliases((body.actions ?? []) as Array<Record<string, never>>));
  }
  if (first === '_alias' && segments.length === 2 && method === 'GET') {
    allow('ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'local');
    return ok(fake.cluster.getAlias(second!));
  }
  if (first === '_reindex' && segments.length === 1 && method === 'POST') {
    allow('refresh', 'wait_for_completion', 'requests_per_second', 'slices', 'wait_for_active_shards');
    return ok(fake.documents.reindex(body, query));
  }
  if (first!.startsWith('_')) throw noHandler(request);

  const index = first!;
  if (segments.length === 1) {
    if (method === 'PUT') {
      allow('wait_for_active_shards');
      return ok(fake.cluster.createIndex(index, body));
    }
    if (method === 'DELETE') {
      allow('ignore_unavailable', 'allow_no_indices', 'expand_wildcards');
      return ok(fake.cluster.deleteIndices(index.split(','), query.ignore_unavailable === 'true'));
    }
    if (method === 'HEAD') {
      allow();
      return { status: fake.cluster.indices.has(index) || fake.cluster.aliases.has(index) ? 200 : 404, body: undefined };
    }
  }
  if (second === '_alias' && third !== undefined && (method === 'PUT' || method === 'POST')) {
    allow();
    return ok(fake.cluster.putAlias(index, third));
  }
  if (second === '_settings' && segments.length === 2 && method === 'PUT') {
    allow('preserve_existing', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'flat_settings');
    return ok(fake.cluster.putSettings(index.split(','), body));
  }
  if (second === '_refresh' && segments.length === 2 && (method === 'POST' || method === 'GET')) {
    allow('ignore_unavailable', 'allow_no_indices', 'expand_wildcards');
    for (const target of fake.cluster.resolve(index)) target.refresh();
    return ok({ _shards: { total: 1, successful: 1, failed: 0 } });
  }
  if (second === '_bulk' && segments.length === 2 && (method === 'POST' || method === 'PUT')) {
    allow('refresh', 'require_alias', 'routing', 'pipeline', 'wait_for_active_shards', '_source', '_source_includes', '_source_excludes');
    return ok(fake.documents.bulk(index, request.ndjson ?? [], query));
  }
  if (second === '_mget' && segments.length === 2 && (method === 'POST' || method === 'GET')) {
    allow('_source', '_source_includes', '_source_excludes', 'realtime', 'refresh', 'routing', 'preference', 'stored_fields');
    return ok(fake.documents.mget(index, body, query));
  }
  if (second === '_search' && segments.length === 2 && (method === 'POST' || method === 'GET')) {
    allow('track_total_hits', 'allow_partial_search_results', 'ignore_unavailable', 'preference', 'request_cache', 'size', 'from', '_source', 'typed_keys', 'search_type');
    return ok(runSearch(fake.cluster.resolve(index), body, query._source));
  }
  if (second === '_doc' && third !== undefined && segments.length === 3) {
    if (method === 'GET') {
      allow('_source', '_source_includes', '_source_excludes', 'realtime', 'refresh', 'routing', 'preference', 'stored_fields', 'version');
      return fake.documents.get(index, third, query);
    }
    if (method === 'DELETE') {
      allow('refresh', 'routing', 'if_seq_no', 'if_primary_term', 'version', 'version_type', 'wait_for_active_shards');
      return fake.documents.delete(index, third, query);
    }
  }
  if (second === '_update' && third !== undefined && segments.length === 3 && method === 'POST') {
    allow('refresh', 'require_alias', 'if_seq_no', 'if_primary_term', 'retry_on_conflict', 'routing', '_source', 'wait_for_active_shards');
    return fake.documents.update(index, third, body, query);
  }
  if (segments.length === 1 && method === 'GET') {
    allow();
    const targets = fake.cluster.resolve(index);
    if (targets.length === 0) throw indexNotFound(index);
    return ok(Object.fromEntries(targets.map((t) => [t.name, { settings: t.body.settings ?? {}, mappings: t.body.mappings ?? {} }])));
  }
  throw noHandler(request);
}

function checkParams(request: RecordedRequest, allowed: readonly string[]): void {
  const unknown = Object.keys(request.query).filter((key) => !allowed.includes(key) && !COMMON_PARAMS.includes(key));
  if (unknown.length > 0) {
    throw badRequest(`request [${request.path}] contains unrecognized parameter${unknown.length > 1 ? 's' : ''}: [${unknown.join(', ')}]`, 'illegal_argument_exception');
  }
}

function noHandler(request: RecordedRequest) {
  return badRequest(`no handler found for uri [${request.path}] and method [${request.method}]`, 'illegal_argument_exception');
}
