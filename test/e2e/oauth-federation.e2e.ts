/**
 * Federated sign-in through a tenant's own OpenID Connect IdP: a real OIDC provider on loopback plays
 * the tenant's IdP; its groups flow into Tessera's access tokens and so into document ACLs.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FEDERATION_CALLBACK_PATH } from '@tessera/domain';
import { Client } from 'pg';
import { TestBrowser } from '../support/oauth-browser';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/test-idp';

const REDIRECT = 'http://127.0.0.1:7777/callback';

describe('federated sign-in with a tenant OpenID Connect IdP (PostgreSQL)', () => {
  let t: TestPlatform;
  let idp: TestIdentityProvider;
  let connector: string;

  beforeAll(async () => {
    t = await startTestPlatform('postgres', { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: 'true' });
    idp = await startTestIdentityProvider(
      { clientId: 'tessera', clientSecret: 'idp-client-secret', redirectUri: `${t.baseUrl}${FEDERATION_CALLBACK_PATH}` },
      { 'carol@acme.example': ['board', 'staff'], 'dave@acme.example': ['staff\u0000admin'] },
    );
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
    await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/minutes', { title: 'Board minutes', text: 'Budget approved.', acl: { groups: ['board'] } });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('configures the IdP through the tenant API without ever returning its secret', async () => {
    const put = await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer: idp.issuer, clientId: 'tessera', clientSecret: 'idp-client-secret', displayName: 'Acme SSO' });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.redirectUri, `${t.baseUrl}${FEDERATION_CALLBACK_PATH}`);
    assert.doesNotMatch(put.text, /idp-client-secret/);
    const bad = await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer: 'ftp://idp.example', clientId: 'x', clientSecret: 'y' });
    assert.equal(bad.status, 400);
  });

  it('signs a user in at the IdP, provisions them, and carries the IdP groups into the access token', async () => {
    const registration = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] }),
    });
    const clientId = ((await registration.json()) as { client_id: string }).client_id;
    const verifier = randomBytes(32).toString('base64url');
    const url = `${t.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'search fetch', resource: connector,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    })}`;
    const browser = new TestBrowser();
    let step = await browser.navigate(url, REDIRECT);
    assert.match(step.page ?? '', /Continue with Acme SSO/);
    step = await browser.submit(step.final, step.page!, {}, REDIRECT, 'Continue with');
    assert.ok(step.final.href.startsWith(idp.issuer), `at the IdP: ${step.final.href}`);
    step = await browser.submit(step.final, step.page!, { login: 'carol@acme.example', password: 'anything' }, REDIRECT, 'name="login"');
    if (step.page?.includes('name="prompt" value="consent"')) step = await browser.submit(step.final, step.page, {}, REDIRECT, 'value="consent"');
    assert.match(step.page ?? '', /name="decision"/, `back at Tessera's consent: ${step.final.href} ${step.page?.slice(0, 200)}`);
    step = await browser.submit(step.final, step.page!, { decision: 'allow' }, REDIRECT, 'name="decision"');
    const code = step.final.searchParams.get('code');
    assert.ok(code);

    const tokenResponse = await fetch(`${t.baseUrl}/oauth/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier }).toString(),
    });
    const accessToken = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { groups: string[]; email: string };
    expect(claims.groups).toStrictEqual(['board', 'staff']);
    assert.equal(claims.email, 'carol@acme.example');

    const search = await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'board budget' } } }, { authorization: `Bearer ${accessToken}` });
    assert.match(search.json.result.content[0].text, /minutes/, 'the board-only document is visible through the IdP group');
    const users = await t.api('GET', '/v1/tenants/acme/workspaces/handbook/users');
    expect(users.json.users.map((u: { email: string; hasPassword: boolean }) => [u.email, u.hasPassword])).toStrictEqual([['carol@acme.example', false]]);
  });

  it('refuses an IdP claim that is not valid text with a 400 page, not a server error', async () => {
    const registration = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
    });
    const clientId = ((await registration.json()) as { client_id: string }).client_id;
    const url = `${t.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'search', resource: connector,
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'), code_challenge_method: 'S256',
    })}`;
    const browser = new TestBrowser();
    let step = await browser.navigate(url, REDIRECT);
    step = await browser.submit(step.final, step.page!, {}, REDIRECT, 'Continue with');
    step = await browser.submit(step.final, step.page!, { login: 'dave@acme.example', password: 'anything' }, REDIRECT, 'name="login"');
    if (step.page?.includes('name="prompt" value="consent"')) step = await browser.submit(step.final, step.page, {}, REDIRECT, 'value="consent"');
    assert.equal(step.status, 400, step.page?.slice(0, 300));
    assert.match(step.page ?? '', /not valid text/);
    const users = await t.api('GET', '/v1/tenants/acme/workspaces/handbook/users');
    assert.ok(!users.text.includes('dave@acme.example'), 'nobody was provisioned');
  });

  it('refuses a person the directory deactivated (SCIM), though the IdP still signs them in', async () => {
    const scim = (await t.api('POST', '/v1/tenants/acme/scim-tokens', {})).json;
    const headers = { authorization: `Bearer ${scim.token}`, 'content-type': 'application/scim+json' };
    const found = (await (await fetch(`${scim.scimUrl}/Users?filter=${encodeURIComponent('userName eq "carol@acme.example"')}`, { headers })).json()) as { Resources: Array<{ id: string }> };
    const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] };
    assert.equal((await fetch(`${scim.scimUrl}/Users/${found.Resources[0]!.id}`, { method: 'PATCH', headers, body: JSON.stringify(patch) })).status, 200);
    const registration = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
    });
    const clientId = ((await registration.json()) as { client_id: string }).client_id;
    const url = `${t.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'search', resource: connector,
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'), code_challenge_method: 'S256',
    })}`;
    const browser = new TestBrowser();
    let step = await browser.navigate(url, REDIRECT);
    step = await browser.submit(step.final, step.page!, {}, REDIRECT, 'Continue with');
    step = await browser.submit(step.final, step.page!, { login: 'carol@acme.example', password: 'anything' }, REDIRECT, 'name="login"');
    if (step.page?.includes('name="prompt" value="consent"')) step = await browser.submit(step.final, step.page, {}, REDIRECT, 'value="consent"');
    assert.equal(step.status, 403, step.page?.slice(0, 300));
    assert.match(step.page ?? '', /deactivated/);
  });

  it('never lets a tenant point federation at an internal address', async () => {
    await t.api('POST', '/v1/tenants', { slug: 'evil', name: 'Evil' });
    const evilConnector = (await t.api('POST', '/v1/tenants/evil/workspaces', { slug: 'ws', name: 'WS' })).json.connectorUrl;
    for (const issuer of ['https://10.0.0.7', 'https://169.254.169.254', 'https://metadata.internal', 'https://idp.example:8443', 'http://127.0.0.1.nip.io']) {
      const refused = await t.api('PUT', '/v1/tenants/evil/identity-provider', { issuer, clientId: 'x', clientSecret: 'y' });
      assert.equal(refused.status, 400, issuer);
      assert.match(refused.json.message, /^issuer: /);
    }
    // A record that predates the check (written straight to the database) is refused at use as well.
    assert.equal((await t.api('PUT', '/v1/tenants/evil/identity-provider', { issuer: 'https://idp.evil.example', clientId: 'x', clientSecret: 'y' })).status, 200);
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE tenant_identity_providers SET issuer = 'https://10.0.0.7' WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'evil')`);
    } finally {
      await db.end();
    }
    const registration = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
    });
    const clientId = ((await registration.json()) as { client_id: string }).client_id;
    const url = `${t.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'search', resource: evilConnector,
      code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'), code_challenge_method: 'S256',
    })}`;
    const browser = new TestBrowser();
    const login = await browser.navigate(url, REDIRECT);
    const step = await browser.submit(login.final, login.page!, {}, REDIRECT, 'Continue with');
    assert.equal(step.status, 502);
    assert.match(step.page ?? '', /could not be reached/);
  });
});
