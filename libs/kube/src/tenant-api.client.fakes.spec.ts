/** TenantApiClient against a fake tenant API (a local HTTP server that records requests), not the real app. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeTenantApi } from './testing/fake-tenant-api';
import { failureFrom, TenantApiClient, TenantApiError } from './tenant-api.client';

const TOKEN = 'tsa_admin-token-for-the-fake-api-000';

describe('TenantApiClient against a fake tenant API', () => {
  const api = new FakeTenantApi(TOKEN);
  let client: TenantApiClient;

  beforeAll(async () => {
    client = new TenantApiClient({ baseUrl: `${await api.start()}/`, adminToken: TOKEN });
  });
  afterAll(() => api.stop());
  beforeEach(() => {
    api.requests.length = 0;
    api.failWith = undefined;
  });

  it('tells a missing tenant from a missing workspace', async () => {
    expect(await client.observe('nobody', 'kb')).toStrictEqual({ state: 'tenant-missing' });
    api.addTenant('acme');
    expect(await client.observe('acme', 'kb')).toStrictEqual({ state: 'absent' });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toStrictEqual(['GET /v1/tenants/nobody/workspaces/kb', 'GET /v1/tenants/nobody', 'GET /v1/tenants/acme/workspaces/kb', 'GET /v1/tenants/acme']);
  });

  it('creates with slug and name only, with the admin token, and reads the connector URL back', async () => {
    api.addTenant('acme');
    const created = await client.create('acme', 'handbook', 'Handbook');
    assert.equal(created.state, 'present');
    assert.equal(created.state === 'present' && created.workspace.connectorUrl, 'https://tessera.example.com/mcp/acme/handbook');
    const post = api.requests.find((r) => r.method === 'POST')!;
    assert.equal(post.path, '/v1/tenants/acme/workspaces');
    expect(post.body).toStrictEqual({ slug: 'handbook', name: 'Handbook' });
    assert.equal(post.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(post.headers['content-type'], 'application/json');
  });

  it('adopts a workspace that already exists (409) instead of failing', async () => {
    api.addWorkspace('acme', 'existing', 'Made with the CLI');
    const result = await client.create('acme', 'existing', 'Existing');
    assert.equal(result.state === 'present' && result.workspace.name, 'Made with the CLI');
    expect(api.requests.map((r) => r.method)).toStrictEqual(['POST', 'GET']);
  });

  it('patches settings and returns the effective ones', async () => {
    api.addWorkspace('acme', 'patched', 'Patched');
    const result = await client.update('acme', 'patched', { searchResultLimit: 20, clientPolicy: { redirectUris: [], allowLoopbackRedirects: false, allowDynamicRegistration: false, allowMetadataDocuments: true } });
    assert.equal(result.state === 'present' && result.workspace.settings?.searchResultLimit, 20);
    expect(api.requests[0].body).toStrictEqual({
      searchResultLimit: 20,
      clientPolicy: { redirectUris: [], allowLoopbackRedirects: false, allowDynamicRegistration: false, allowMetadataDocuments: true },
    });
  });

  it('treats deleting a workspace that is already gone as done', async () => {
    api.addWorkspace('acme', 'doomed', 'Doomed');
    expect(await client.delete('acme', 'doomed')).toStrictEqual({ state: 'absent' });
    expect(await client.delete('acme', 'doomed')).toStrictEqual({ state: 'absent' });
    expect(api.writes()).toStrictEqual(['DELETE /v1/tenants/acme/workspaces/doomed', 'DELETE /v1/tenants/acme/workspaces/doomed']);
  });

  it('maps refusals and outages to conditions the object can show', async () => {
    const wrongToken = new TenantApiClient({ baseUrl: api.server.url, adminToken: 'tsa_wrong-token-000000000000000' });
    const unauthorized = await wrongToken.observe('acme', 'kb').catch((e: unknown) => e);
    assert.ok(unauthorized instanceof TenantApiError);
    expect(failureFrom(unauthorized)).toStrictEqual({ reason: 'Unauthorized', message: "the tenant API refused the controller's admin token", retryable: true });

    api.failWith = 503;
    assert.equal(failureFrom(await client.observe('acme', 'kb').catch((e: unknown) => e)).reason, 'PlatformUnavailable');
    api.failWith = undefined;

    api.addWorkspace('acme', 'strict', 'Strict');
    const refused = await client.update('acme', 'strict', { searchResultLimit: 500 }).catch((e: unknown) => e);
    expect(failureFrom(refused)).toStrictEqual({ reason: 'InvalidSpec', message: 'the tenant API refused the spec: searchResultLimit must not be greater than 50', retryable: false });

    const nowhere = new TenantApiClient({ baseUrl: 'http://127.0.0.1:9', adminToken: TOKEN, timeoutMs: 2_000 });
    const unreachable = failureFrom(await nowhere.observe('acme', 'kb').catch((e: unknown) => e));
    assert.equal(unreachable.reason, 'PlatformUnavailable');
    assert.equal(unreachable.retryable, true);
  });
});
