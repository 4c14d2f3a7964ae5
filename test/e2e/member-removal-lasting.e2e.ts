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
import { after, before, describe, it } from 'node:test';
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

  before(async () => {
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
  after(async () => {
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

    const elsewhere = await authorize(clientId, connectors.other, { idpLogin: 'carol@acme.example' });
    assert.deepEqual(await searchIds(connectors.other, elsewhere.tokens!.access_token), ['welcome'], 'another workspace still provisions her');

    assert.equal((await t.api('POST', `${HANDBOOK}/users`, { email: 'carol@acme.example', name: 'Carol' })).status, 201);
    const back = await authorize(clientId, connectors.handbook, { idpLogin: 'carol@acme.example' });
    assert.deepEqual(await searchIds(connectors.handbook, back.tokens!.access_token), ['welcome'], 'added back by an admin, she signs in again');

    assert.equal((await t.api('DELETE', `${HANDBOOK}/users/carol@acme.example`)).status, 204, 'removed a second time');
    assert.equal((await authorize(clientId, connectors.handbook, { idpLogin: 'carol@acme.example' })).status, 403);
  });
});
