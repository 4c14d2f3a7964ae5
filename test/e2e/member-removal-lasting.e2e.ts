/**
 * What a member's removal from a workspace ends, and what it leaves alone (security review of issue 21):
 * - a person removed by a tenant admin is not provisioned again by their next sign-in through the tenant's
 *   IdP (which provisions newcomers by default), until an admin adds them back;
 * - one OAuth client's consent covering two workspaces: removal from one leaves the other's access token
 *   and refresh token working;
 * - deleting a pre-registered OAuth client ends its consents, and with them its live access tokens and
 *   refresh tokens.
 * On PostgreSQL, with a real OpenID Connect provider on loopback as the tenant's IdP.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FEDERATION_CALLBACK_PATH } from '@tessera/domain';
import { TestBrowser } from '../support/oauth-browser';
import { authorizeUrl, pkce, registerClient, TEST_REDIRECT, tokenRequest } from '../support/oauth-flow';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/test-idp';

const PASSWORD = 'a long enough password';
const HANDBOOK = '/v1/tenants/acme/workspaces/handbook';
const OTHER = '/v1/tenants/acme/workspaces/other';

describe('a removal from a workspace lasts, and ends no more than that workspace (PostgreSQL)', () => {
  let t: TestPlatform;
  let idp: TestIdentityProvider;
  const connectors: Record<'handbook' | 'other', string> = { handbook: '', other: '' };

  /** The ids `search` returns to this bearer, or the HTTP status when the call is refused. */
  async function searchIds(connector: string, token: string): Promise<string[] | number> {
    const response = await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'welcome' } } }, { authorization: `Bearer ${token}` });
    if (response.status !== 200) return response.status;
    return JSON.parse(response.json.result.content[0].text).results.map((r: { id: string }) => r.id);
  }

  /** One authorization of `clientId` for `connector`: through the IdP as `idpLogin`, or with a password. */
  async function authorize(clientId: string, connector: string, who: { idpLogin: string } | { email: string; password: string }) {
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(t.baseUrl, clientId, challenge, connector);
    const browser = new TestBrowser();
    let step;
    if ('idpLogin' in who) {
      step = await browser.navigate(url, TEST_REDIRECT);
      step = await browser.submit(step.final, step.page!, {}, TEST_REDIRECT, 'Continue with');
      step = await browser.submit(step.final, step.page!, { login: who.idpLogin, password: 'anything' }, TEST_REDIRECT, 'name="login"');
      if (step.page?.includes('name="prompt" value="consent"')) step = await browser.submit(step.final, step.page, {}, TEST_REDIRECT, 'value="consent"');
      if (step.page?.includes('name="decision"')) step = await browser.submit(step.final, step.page, { decision: 'allow' }, TEST_REDIRECT, 'name="decision"');
    } else {
      step = await browser.authorize(url, TEST_REDIRECT, who);
    }
    const code = step.final.href.startsWith(TEST_REDIRECT) ? step.final.searchParams.get('code') : null;
    if (!code) return { status: step.status, page: step.page ?? '' };
    const exchanged = await tokenRequest(t.baseUrl, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT, client_id: clientId, code_verifier: verifier });
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    return { status: 200, page: '', tokens: exchanged.body as { access_token: string; refresh_token: string } };
  }

  async function members(path: string): Promise<string[]> {
    return (await t.api('GET', `${path}/users`)).json.users.map((u: { email: string }) => u.email);
  }

  beforeAll(async () => {
    t = await startTestPlatform('postgres', { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: 'true' });
    idp = await startTestIdentityProvider(
      { clientId: 'tessera', clientSecret: 'idp-client-secret', redirectUri: `${t.baseUrl}${FEDERATION_CALLBACK_PATH}` },
      { 'carol@acme.example': ['staff'] },
    );
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    for (const slug of ['handbook', 'other'] as const) {
      connectors[slug] = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug, name: slug })).json.connectorUrl;
      assert.equal((await t.api('PUT', `/v1/tenants/acme/workspaces/${slug}/documents/welcome`, { title: 'Welcome', text: `Welcome to ${slug}.` })).status, 201);
    }
    const put = await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer: idp.issuer, clientId: 'tessera', clientSecret: 'idp-client-secret', displayName: 'Acme SSO' });
    assert.equal(put.status, 200, put.text);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('does not let the IdP provision a removed member again until an admin adds them back', async () => {
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const first = await authorize(clientId, connectors.handbook, { idpLogin: 'carol@acme.example' });
    assert.deepEqual(await searchIds(connectors.handbook, first.tokens!.access_token), ['welcome'], 'provisioned by her first sign-in');

    assert.equal((await t.api('DELETE', `${HANDBOOK}/users/carol@acme.example`)).status, 204);
    const again = await authorize(clientId, connectors.handbook, { idpLogin: 'carol@acme.example' });
    assert.equal(again.status, 403, again.page.slice(0, 300));
    assert.match(again.page, /administrator removed your account from this workspace/);
    assert.equal((await members(HANDBOOK)).includes('carol@acme.example'), false, 'not a member again');
    assert.equal(await searchIds(connectors.handbook, first.tokens!.access_token), 401);
    const refusals = (await t.api('GET', '/v1/tenants/acme/audit?action=oauth.login')).json.events.filter((e: { outcome: string }) => e.outcome === 'failure');
    assert.deepEqual(refusals.map((e: { details: { reason: string } }) => e.details.reason), ['removed_by_admin'], 'the refusal is audited');

    const elsewhere = await authorize(clientId, connectors.other, { idpLogin: 'carol@acme.example' });
    assert.deepEqual(await searchIds(connectors.other, elsewhere.tokens!.access_token), ['welcome'], 'another workspace still provisions her');

    assert.equal((await t.api('POST', `${HANDBOOK}/users`, { email: 'carol@acme.example', name: 'Carol' })).status, 201);
    const back = await authorize(clientId, connectors.handbook, { idpLogin: 'carol@acme.example' });
    assert.deepEqual(await searchIds(connectors.handbook, back.tokens!.access_token), ['welcome'], 'added back by an admin, she signs in again');

    assert.equal((await t.api('DELETE', `${HANDBOOK}/users/carol@acme.example`)).status, 204, 'removed a second time');
    assert.equal((await authorize(clientId, connectors.handbook, { idpLogin: 'carol@acme.example' })).status, 403);
  });

  /** One client, one person, both workspaces: the authorization server keeps one grant for them. */
  async function consentedToBoth(email: string) {
    for (const path of [HANDBOOK, OTHER]) assert.equal((await t.api('POST', `${path}/users`, { email, name: email, password: PASSWORD })).status, 201);
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const here = (await authorize(clientId, connectors.handbook, { email, password: PASSWORD })).tokens!;
    const there = (await authorize(clientId, connectors.other, { email, password: PASSWORD })).tokens!;
    const gid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).gid as string;
    assert.equal(gid(here.access_token), gid(there.access_token), 'one grant covers both workspaces');
    expect(await searchIds(connectors.other, there.access_token)).toStrictEqual(['welcome']);
    return { clientId, here, there, grantId: gid(here.access_token) };
  }

  /** What still works for `there` (the other workspace) after something was ended in the handbook. */
  async function otherStillWorks(clientId: string, there: { access_token: string; refresh_token: string }) {
    assert.deepEqual(await searchIds(connectors.other, there.access_token), ['welcome'], 'the live access token for the other workspace');
    const refreshed = await tokenRequest(t.baseUrl, { grant_type: 'refresh_token', refresh_token: there.refresh_token, client_id: clientId });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.deepEqual(await searchIds(connectors.other, refreshed.body.access_token!), ['welcome'], 'a refreshed access token for the other workspace');
  }

  it("a removal ends one client's access to that workspace and leaves its access to another workspace through the same grant", async () => {
    const { clientId, here, there } = await consentedToBoth('hana@acme.example');
    assert.equal((await t.api('DELETE', `${HANDBOOK}/users/hana@acme.example`)).status, 204);
    assert.equal(await searchIds(connectors.handbook, here.access_token), 401);
    const refreshed = await tokenRequest(t.baseUrl, { grant_type: 'refresh_token', refresh_token: here.refresh_token, client_id: clientId });
    assert.deepEqual([refreshed.status, refreshed.body.error], [400, 'invalid_grant'], "the removed workspace's refresh token");
    await otherStillWorks(clientId, there);
    const audit = (await t.api('GET', '/v1/tenants/acme/audit?action=user.remove')).json.events as Array<{ details: { grants: number } }>;
    assert.equal(audit.at(-1)!.details.grants, 1, 'the consent counts as revoked here');
  });

  it("revoking a consent in one workspace ends the client's tokens there, though the person is still a member, and not in the other", async () => {
    const { clientId, here, there, grantId } = await consentedToBoth('ivo@acme.example');
    const consentsOf = async (path: string) => ((await t.api('GET', `${path}/users/ivo@acme.example/consents`)).json.consents as Array<{ grantId: string }>).map((c) => c.grantId);
    assert.equal((await t.api('DELETE', `${HANDBOOK}/users/ivo@acme.example/consents/${grantId}`)).status, 204);
    assert.equal(await searchIds(connectors.handbook, here.access_token), 401, 'refused by the gateway: the grant no longer covers this workspace');
    const refreshed = await tokenRequest(t.baseUrl, { grant_type: 'refresh_token', refresh_token: here.refresh_token, client_id: clientId });
    expect([refreshed.status, refreshed.body.error]).toStrictEqual([400, 'invalid_grant']);
    expect(await consentsOf(HANDBOOK)).toStrictEqual([]);
    assert.deepEqual(await consentsOf(OTHER), [grantId], 'the consent to the other workspace is still listed there');
    await otherStillWorks(clientId, there);
    assert.equal((await t.api('DELETE', `${HANDBOOK}/users/ivo@acme.example/consents/${grantId}`)).status, 404, 'already revoked here');

    assert.equal((await t.api('DELETE', `${OTHER}/users/ivo@acme.example/consents/${grantId}`)).status, 204, 'the last workspace: the grant goes whole');
    assert.equal(await searchIds(connectors.other, there.access_token), 401);
  });

  it("deleting a pre-registered client ends its live access tokens and refresh tokens, and no other client's", async () => {
    const email = 'jo@acme.example';
    assert.equal((await t.api('POST', `${HANDBOOK}/users`, { email, name: 'Jo', password: PASSWORD })).status, 201);
    const created = await t.api('POST', `${HANDBOOK}/oauth-clients`, { clientName: 'Handbook bot', redirectUris: [TEST_REDIRECT] });
    assert.equal(created.status, 201, created.text);
    const bot = created.json.clientId as string;
    const botTokens = (await authorize(bot, connectors.handbook, { email, password: PASSWORD })).tokens!;
    const otherClient = String((await registerClient(t.baseUrl)).body.client_id);
    const otherTokens = (await authorize(otherClient, connectors.handbook, { email, password: PASSWORD })).tokens!;
    expect(await searchIds(connectors.handbook, botTokens.access_token)).toStrictEqual(['welcome']);

    assert.equal((await t.api('DELETE', `${HANDBOOK}/oauth-clients/${encodeURIComponent(bot)}`)).status, 204);
    assert.equal(await searchIds(connectors.handbook, botTokens.access_token), 401, "the deleted client's live access token");
    const refreshed = await tokenRequest(t.baseUrl, { grant_type: 'refresh_token', refresh_token: botTokens.refresh_token, client_id: bot });
    assert.equal(refreshed.status >= 400 && refreshed.status < 500, true, JSON.stringify(refreshed.body));
    assert.match(refreshed.body.error!, /^invalid_(client|grant)$/);
    assert.deepEqual(await searchIds(connectors.handbook, otherTokens.access_token), ['welcome'], "another client's token for the same person");
    expect(((await t.api('GET', `${HANDBOOK}/users/${email}/consents`)).json.consents as Array<{ clientId: string }>).map((c) => c.clientId)).toStrictEqual([otherClient]);
    const audit = (await t.api('GET', '/v1/tenants/acme/audit?action=oauth_client.delete')).json.events as Array<{ details: { clientId: string; grants: number } }>;
    expect([audit.length, audit[0]!.details.clientId, audit[0]!.details.grants]).toStrictEqual([1, bot, 1]);
    assert.equal((await t.api('DELETE', `${HANDBOOK}/oauth-clients/${encodeURIComponent(bot)}`)).status, 404);
  });
});
