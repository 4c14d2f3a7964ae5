import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { parseExposition } from '../../testing/exposition';
import { BUCKETS, DEFAULT_PROCESS_METRICS, mcpOutcomeForStatus, METRICS, workspaceKey } from './metric-definitions';
import { TesseraMetrics } from './tessera-metrics';

const scrape = async (metrics: TesseraMetrics) => parseExposition(await metrics.scrape());

describe('TesseraMetrics', () => {
  it('registers every defined metric with its type and help text, all named tessera_…', async () => {
    const exposition = await scrape(TesseraMetrics.create({ defaultMetrics: false }));
    for (const definition of Object.values(METRICS)) {
      assert.match(definition.name, /^tessera_[a-z0-9_]+$/);
      assert.equal(exposition.types.get(definition.name), definition.type, definition.name);
      assert.equal(exposition.help.get(definition.name), definition.help);
    }
    for (const definition of Object.values(METRICS)) {
      if (definition.type === 'counter') assert.match(definition.name, /_total$/, `${definition.name}: counters end in _total`);
      if (definition.type === 'histogram' && definition.name.includes('duration')) assert.match(definition.name, /_seconds$/);
    }
  });

  it('counts MCP requests by method, tool, outcome and workspace, and times them in 1–500 ms buckets', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    metrics.mcpRequest('tools/call', 'search', 'ok', 0.004);
    metrics.mcpRequest('tools/call', 'search', 'ok', 0.3);
    metrics.mcpRequest('tools/call', 'fetch', 'tool_error', 0.002);
    metrics.mcpRequest('initialize', undefined, 'ok', 0.0005);
    const e = await scrape(metrics);
    assert.equal(e.find('tessera_mcp_requests_total', { method: 'tools/call', tool: 'search', outcome: 'ok', workspace: 'all' })[0]?.value, 2);
    assert.equal(e.find('tessera_mcp_requests_total', { tool: 'fetch', outcome: 'tool_error' })[0]?.value, 1);
    assert.equal(e.find('tessera_mcp_requests_total', { method: 'initialize', tool: 'none' })[0]?.value, 1);
    const buckets = e.find('tessera_mcp_request_duration_seconds_bucket', { method: 'tools/call', tool: 'search' });
    expect(buckets.map((b) => b.labels.le)).toStrictEqual([...BUCKETS.gatewaySeconds.map(String), '+Inf']);
    assert.ok(BUCKETS.gatewaySeconds.includes(0.001) && BUCKETS.gatewaySeconds.includes(0.5));
    assert.equal(buckets.find((b) => b.labels.le === '0.005')?.value, 1);
    assert.equal(buckets.find((b) => b.labels.le === '0.5')?.value, 2);
    assert.equal(e.find('tessera_mcp_request_duration_seconds_count', { tool: 'search' })[0]?.value, 2);
    // The duration histogram has no outcome label (fewer series); the counter has it.
    assert.equal(buckets[0]!.labels.outcome, undefined);
  });

  it('maps unknown methods and tools to bounded values, never echoing caller input', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    metrics.mcpRequest('resources/list', 'search', 'invalid', 0.001);
    metrics.mcpRequest('x'.repeat(500), 'drop_tables', 'invalid', 0.001);
    metrics.mcpRequest('notifications/initialized', undefined, 'ok', 0.001);
    const e = await scrape(metrics);
    const methods = new Set(e.find('tessera_mcp_requests_total').map((s) => s.labels.method));
    const tools = new Set(e.find('tessera_mcp_requests_total').map((s) => s.labels.tool));
    expect([...methods].sort()).toStrictEqual(['notifications', 'other']);
    expect([...tools].sort()).toStrictEqual(['none', 'other', 'search']);
  });

  it('records search results, backend calls, guard hits, rate limits and ingestion', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    metrics.searchResults(0);
    metrics.searchResults(7);
    metrics.backendCall('search', 0.003);
    metrics.backendCall('get', 0.2, 'error');
    metrics.guardHit('base64_run');
    metrics.guardHit('email', 'strip');
    metrics.rateLimited('mcp');
    metrics.ingested('created', 3);
    metrics.ingested('failed');
    metrics.ingested('updated', 0);
    metrics.bulkRequest(1.5, 'partial');
    const e = await scrape(metrics);
    assert.equal(e.find('tessera_mcp_search_results_bucket', { le: '0' })[0]?.value, 1);
    assert.equal(e.find('tessera_mcp_search_results_sum')[0]?.value, 7);
    assert.equal(e.find('tessera_search_backend_duration_seconds_count', { op: 'search', outcome: 'ok' })[0]?.value, 1);
    assert.equal(e.find('tessera_search_backend_duration_seconds_count', { op: 'get', outcome: 'error' })[0]?.value, 1);
    assert.equal(e.find('tessera_guard_hits_total', { rule: 'base64_run', action: 'block' })[0]?.value, 1);
    assert.equal(e.find('tessera_guard_hits_total', { rule: 'email', action: 'strip' })[0]?.value, 1);
    assert.equal(e.find('tessera_rate_limit_rejections_total', { scope: 'mcp' })[0]?.value, 1);
    assert.equal(e.find('tessera_ingest_documents_total', { outcome: 'created' })[0]?.value, 3);
    assert.equal(e.find('tessera_ingest_documents_total', { outcome: 'failed' })[0]?.value, 1);
    assert.equal(e.find('tessera_ingest_documents_total', { outcome: 'updated' }).length, 0);
    assert.equal(e.find('tessera_ingest_bulk_request_duration_seconds_count', { outcome: 'partial' })[0]?.value, 1);
  });

  it('bounds free-form labels: guard rules, OAuth error codes and grant types', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    for (let i = 0; i < 80; i++) metrics.guardHit(`rule_${i}`);
    metrics.guardHit('Bad Rule With Spaces');
    metrics.oauthEvent({ kind: 'error', endpoint: 'token', error: 'invalid_grant' });
    metrics.oauthEvent({ kind: 'error', endpoint: 'token', error: 'eyJhbGciOiJFUzI1NiJ9.not-an-error-code' });
    metrics.oauthEvent({ kind: 'token', grantType: 'authorization_code' });
    metrics.oauthEvent({ kind: 'token', grantType: 'urn:example:made-up' });
    const e = await scrape(metrics);
    const rules = new Set(e.find('tessera_guard_hits_total').map((s) => s.labels.rule));
    assert.equal(rules.size, 51);
    assert.ok(rules.has('other'));
    assert.equal(e.find('tessera_guard_hits_total', { rule: 'other' })[0]?.value, 31);
    expect(e.find('tessera_oauth_errors_total').map((s) => s.labels.error).sort()).toStrictEqual(['invalid_grant', 'other']);
    expect(e.find('tessera_oauth_tokens_issued_total').map((s) => s.labels.grant_type).sort()).toStrictEqual(['authorization_code', 'other']);
  });

  it('counts OAuth registrations, authorizations, tokens and refresh-token reuse', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    metrics.oauthEvent({ kind: 'registration', method: 'dcr' });
    metrics.oauthEvent({ kind: 'registration', method: 'preregistered' });
    metrics.oauthEvent({ kind: 'authorization', outcome: 'granted' });
    metrics.oauthEvent({ kind: 'token', grantType: 'refresh_token' });
    metrics.oauthEvent({ kind: 'refresh_token_reuse' });
    const e = await scrape(metrics);
    assert.equal(e.find('tessera_oauth_client_registrations_total', { method: 'dcr' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_client_registrations_total', { method: 'preregistered' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_authorizations_total', { outcome: 'granted' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_tokens_issued_total', { grant_type: 'refresh_token' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_refresh_token_reuse_total')[0]?.value, 1);
  });

  it('reads pool gauges from the pg Pool at scrape time, and stops when told', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    const pool = { totalCount: 4, idleCount: 1, waitingCount: 2, options: { max: 10 } };
    const stop = metrics.observePool('main', pool);
    let e = await scrape(metrics);
    assert.equal(e.find('tessera_db_pool_connections', { pool: 'main' })[0]?.value, 4);
    assert.equal(e.find('tessera_db_pool_idle_connections', { pool: 'main' })[0]?.value, 1);
    assert.equal(e.find('tessera_db_pool_waiting_clients', { pool: 'main' })[0]?.value, 2);
    assert.equal(e.find('tessera_db_pool_max_connections', { pool: 'main' })[0]?.value, 10);
    pool.waitingCount = 0;
    e = await scrape(metrics);
    assert.equal(e.find('tessera_db_pool_waiting_clients', { pool: 'main' })[0]?.value, 0);
    stop();
    e = await scrape(metrics);
    assert.equal(e.find('tessera_db_pool_connections').length, 0);
  });

  it('counts HTTP requests by route group and status class', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    metrics.httpRequest('api', 201, 0.01);
    metrics.httpRequest('api', 503, 0.01);
    metrics.httpRequest('mcp', 499, 0.2);
    const e = await scrape(metrics);
    assert.equal(e.find('tessera_http_requests_total', { group: 'api', status_class: '2xx' })[0]?.value, 1);
    assert.equal(e.find('tessera_http_requests_total', { group: 'api', status_class: '5xx' })[0]?.value, 1);
    assert.equal(e.find('tessera_http_requests_total', { group: 'mcp', status_class: '4xx' })[0]?.value, 1);
  });

  it('includes the default process metrics, event-loop lag among them, and build info', async () => {
    const metrics = TesseraMetrics.create({ version: '1.2.3' });
    const e = await scrape(metrics);
    for (const name of DEFAULT_PROCESS_METRICS) assert.ok(e.types.has(name), `${name} is exposed`);
    assert.equal(e.find('tessera_build_info', { version: '1.2.3' })[0]?.value, 1);
  });

  it('counts a bulk summary at once', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    metrics.ingestedSummary({ created: 5, updated: 2, unchanged: 0, failed: 1 });
    const e = await scrape(metrics);
    expect(e.find('tessera_ingest_documents_total').map((s) => [s.labels.outcome, s.value]).sort()).toStrictEqual([['created', 5], ['failed', 1], ['updated', 2]]);
  });
});

describe('metric helpers', () => {
  it('maps HTTP statuses to MCP outcomes', () => {
    expect([200, 202, 400, 401, 403, 404, 413, 429, 500, 503].map(mcpOutcomeForStatus)).toStrictEqual([
      'ok', 'ok', 'invalid', 'unauthorized', 'forbidden', 'invalid', 'invalid', 'rate_limited', 'error', 'error',
    ]);
  });

  it('keys a workspace as tenant/workspace', () => {
    assert.equal(workspaceKey({ tenantSlug: 'northwind', workspaceSlug: 'handbook' }), 'northwind/handbook');
  });
});
