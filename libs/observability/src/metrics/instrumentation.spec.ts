import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { SearchBackend } from '@tessera/search';
import { parseExposition } from '../../testing/exposition';
import { instrumentOidcProvider } from './instrument-oidc-provider';
import { instrumentSearchBackend } from './instrument-search-backend';
import { TesseraMetrics } from './tessera-metrics';

describe('instrumentSearchBackend', () => {
  it('times every operation by op and outcome and passes results, errors and name through', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    const hits = [{ id: 'd1', title: 'T', url: null, score: 1 }];
    const backend = {
      name: 'fake',
      async search() {
        return hits;
      },
      async get() {
        throw new Error('backend down');
      },
      async ping() {},
      async listQuarantined() {
        return [];
      },
    } as unknown as SearchBackend;
    const instrumented = instrumentSearchBackend(backend, metrics);
    assert.equal(instrumented.name, 'fake');
    expect(await instrumented.search('w', { query: 'q', reader: { identifiers: [], groups: [] }, limit: 5 })).toStrictEqual([
      { id: 'd1', title: 'T', url: null, score: 1 },
    ]);
    await assert.rejects(instrumented.get('w', 'd1'), /backend down/);
    await instrumented.ping();
    await instrumented.listQuarantined('w', 10);
    const e = parseExposition(await metrics.scrape());
    assert.equal(e.find('tessera_search_backend_duration_seconds_count', { op: 'search', outcome: 'ok' })[0]?.value, 1);
    assert.equal(e.find('tessera_search_backend_duration_seconds_count', { op: 'get', outcome: 'error' })[0]?.value, 1);
    assert.equal(e.find('tessera_search_backend_duration_seconds_count', { op: 'ping', outcome: 'ok' })[0]?.value, 1);
    assert.equal(e.find('tessera_search_backend_duration_seconds_count', { op: 'list_quarantined', outcome: 'ok' })[0]?.value, 1);
  });

  it("counts the backend's own rebalances by outcome, without timing the subscription as an operation", async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    let report: ((outcome: 'moved' | 'unchanged' | 'busy' | 'error') => void) | undefined;
    const backend = { name: 'fake', watchRebalances: (listener: typeof report) => (report = listener) } as unknown as SearchBackend;
    instrumentSearchBackend(backend, metrics);
    report!('moved');
    report!('busy');
    report!('error');
    report!('error');
    report!('sideways' as never);
    const e = parseExposition(await metrics.scrape());
    assert.equal(e.find('tessera_search_rebalances_total', { outcome: 'moved' })[0]?.value, 1);
    assert.equal(e.find('tessera_search_rebalances_total', { outcome: 'busy' })[0]?.value, 1);
    assert.equal(e.find('tessera_search_rebalances_total', { outcome: 'error' })[0]?.value, 3, 'an unknown outcome counts as an error');
    assert.equal(e.find('tessera_search_backend_duration_seconds_count', { op: 'watch_rebalances' }).length, 0);
  });
});

describe('instrumentOidcProvider', () => {
  it('counts oidc-provider events, including refresh-token reuse', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    const provider = new EventEmitter();
    instrumentOidcProvider(provider, metrics);
    provider.emit('registration_create.success', {}, {});
    provider.emit('authorization.success', {});
    provider.emit('grant.success', { oidc: { params: { grant_type: 'authorization_code' } } });
    provider.emit('grant.success', { oidc: { params: { grant_type: 'refresh_token' } } });
    provider.emit('grant.error', {}, { error: 'invalid_grant', error_description: 'refresh token already used' });
    provider.emit('grant.error', {}, { error: 'invalid_grant', error_description: 'grant request is invalid' });
    provider.emit('authorization.error', {}, { error: 'access_denied' });
    provider.emit('server_error', {}, new Error('db down'));
    const e = parseExposition(await metrics.scrape());
    assert.equal(e.find('tessera_oauth_client_registrations_total', { method: 'dcr' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_authorizations_total', { outcome: 'granted' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_authorizations_total', { outcome: 'denied' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_tokens_issued_total', { grant_type: 'authorization_code' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_tokens_issued_total', { grant_type: 'refresh_token' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_refresh_token_reuse_total')[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_errors_total', { endpoint: 'token', error: 'invalid_grant' })[0]?.value, 2);
    assert.equal(e.find('tessera_oauth_errors_total', { endpoint: 'authorization', error: 'access_denied' })[0]?.value, 1);
    assert.equal(e.find('tessera_oauth_errors_total', { endpoint: 'server', error: 'server_error' })[0]?.value, 1);
  });
});
