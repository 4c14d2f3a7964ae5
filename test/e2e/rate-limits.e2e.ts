/**
 * Rate limits: at the connector (per workspace, principal and client; shared through the real Redis of
 * this machine) and at the OAuth token and registration endpoints (in process here).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, describe, expect, it } from '@jest/globals';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

describe('rate limits', () => {
  const platforms: TestPlatform[] = [];
  afterAll(async () => {
    for (const t of platforms) await t.close();
  });

  it('answers 429 with Retry-After and a JSON-RPC error once a token exceeds its workspace limit (Redis)', async () => {
    const t = await startTestPlatform('postgres', { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' });
    platforms.push(t);
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    const connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).json.connectorUrl;
    const patched = await t.api('PATCH', '/v1/tenants/acme/workspaces/kb', { rateLimits: { principalPerMinute: 3 } });
    assert.equal(patched.json.settings.rateLimits.principalPerMinute, 3);
    const bad = await t.api('PATCH', '/v1/tenants/acme/workspaces/kb', { rateLimits: { principalPerMinute: 0 } });
    assert.equal(bad.status, 400);
    const [a, b] = await Promise.all([
      t.api('POST', '/v1/tenants/acme/workspaces/kb/access-tokens', { subject: 'a@acme.example' }),
      t.api('POST', '/v1/tenants/acme/workspaces/kb/access-tokens', { subject: 'b@acme.example' }),
    ]);
    const ping = (token: string) => mcpRequest(connector, { jsonrpc: '2.0', id: 7, method: 'ping' }, { authorization: `Bearer ${token}` });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ping(a.json.token)).status);
    expect(statuses).toStrictEqual([200, 200, 200, 429]);
    const limited = await ping(a.json.token);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.json.error.code, -32029);
    assert.match(limited.json.error.message, /rate limit exceeded/);
    assert.equal((await ping(b.json.token)).status, 200, 'another principal has its own budget');
  });

  it('limits client registration per address at the authorization server', async () => {
    const t = await startTestPlatform('postgres', { AUTH_REGISTRATION_RATE_PER_MINUTE: '2' });
    platforms.push(t);
    const register = () =>
      fetch(`${t.baseUrl}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' }),
      });
    const statuses = [(await register()).status, (await register()).status];
    const third = await register();
    expect([...statuses, third.status]).toStrictEqual([201, 201, 429]);
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
    assert.equal(((await third.json()) as { error: string }).error, 'temporarily_unavailable');
  });
});
