/**
 * A test sign-in's ticket is single use even when the browser (or someone holding its URL) opens it many
 * times at once: one request goes on to the IdP, the others get the "already used" page. PostgreSQL, a
 * real OpenID Connect provider on loopback as the tenant's IdP.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { FEDERATION_CALLBACK_PATH } from '@tessera/domain';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/test-idp';

describe('test sign-in tickets (PostgreSQL)', () => {
  let t: TestPlatform;
  let idp: TestIdentityProvider;

  beforeAll(async () => {
    t = await startTestPlatform('postgres', { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: 'true' });
    idp = await startTestIdentityProvider({ clientId: 'tessera', clientSecret: 'idp-client-secret', redirectUri: `${t.baseUrl}${FEDERATION_CALLBACK_PATH}` }, {});
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    const put = await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer: idp.issuer, clientId: 'tessera', clientSecret: 'idp-client-secret', displayName: 'Acme SSO' });
    assert.equal(put.status, 200, put.text);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('sends exactly one of many simultaneous openings of a ticket to the IdP', async () => {
    const started = await t.api('POST', '/v1/tenants/acme/identity-provider/test-sign-ins');
    assert.equal(started.status, 201, started.text);
    const openings = await Promise.all(Array.from({ length: 8 }, () => fetch(started.json.url, { redirect: 'manual' })));
    const toIdp = openings.filter((r) => r.status === 303 && (r.headers.get('location') ?? '').startsWith(idp.issuer));
    const refused = openings.filter((r) => r.status === 400);
    assert.equal(toIdp.length, 1, `statuses: ${openings.map((r) => r.status).join(', ')}`);
    assert.equal(refused.length, openings.length - 1);
    for (const r of refused) assert.match(await r.text(), /expired or was already used/);
    assert.equal((await t.api('GET', `/v1/tenants/acme/identity-provider/test-sign-ins/${started.json.id}`)).json.status, 'pending', 'the one opening is still under way');
  });

  it('refuses a ticket id that is not one, and one that does not exist, with the same page', async () => {
    for (const id of ['not-a-ticket', 'A'.repeat(43)]) {
      const opened = await fetch(`${t.baseUrl}/oauth/federation/test/${id}`, { redirect: 'manual' });
      assert.equal(opened.status, 400, id);
      assert.match(await opened.text(), /expired or was already used/);
    }
  });
});
