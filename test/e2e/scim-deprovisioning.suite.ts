/**
 * What SCIM changes do to access, end to end through the MCP endpoint: membership by SCIM-group rule
 * at sign-in, a group removed from a person on their next search, deactivation and deletion ending
 * their OAuth tokens and workspace access tokens on their next call.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DatabaseKind } from '../support/database-harness';
import { TestBrowser } from '../support/oauth-browser';
import { authorizeUrl, codeFlow, pkce, registerClient, TEST_REDIRECT, tokenRequest } from '../support/oauth-flow';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';
import { ScimClient } from '../support/scim-client';

const PASSWORD = 'a long enough password';

export function scimDeprovisioningSuite(kind: DatabaseKind): void {
  describe(`SCIM provisioning takes effect on the next call (${kind})`, () => {
    let t: TestPlatform;
    let scim: ScimClient;
    let connector: string;

    /** The ids `search` returns to this bearer, or the HTTP status when the call is refused. */
    async function searchIds(token: string, query = 'quantum'): Promise<string[] | number> {
      const response = await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query } } }, { authorization: `Bearer ${token}` });
      if (response.status !== 200) return response.status;
      return JSON.parse(response.json.result.content[0].text).results.map((r: { id: string }) => r.id).sort();
    }

    /** A tenant user with a password (a member of another workspace only), as SCIM finds them. */
    async function personWithPassword(email: string): Promise<string> {
      assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces/other/users', { email, name: email, password: PASSWORD })).status, 201);
      const found = await scim.findUserByUserName(email);
      assert.equal(found.json.totalResults, 1, found.text);
      return found.json.Resources[0].id;
    }

    /**
     * One sign-in attempt that must be refused. Once only: failures count against the test's address,
     * and a few of them would throttle every later sign-in of the suite.
     */
    async function assertSignInRefused(who: { email: string; password: string }): Promise<void> {
      const clientId = String((await registerClient(t.baseUrl)).body.client_id);
      const browser = new TestBrowser();
      const login = await browser.navigate(authorizeUrl(t.baseUrl, clientId, pkce().challenge, connector), TEST_REDIRECT);
      const step = await browser.submit(login.final, login.page!, who, TEST_REDIRECT, 'name="password"');
      assert.equal(step.status, 401, step.page?.slice(0, 200));
      assert.equal(step.final.searchParams.get('code'), null);
    }

    async function groupWith(displayName: string, ...members: string[]): Promise<string> {
      const group = (await scim.oktaCreateGroup(displayName)).json;
      for (const member of members) assert.equal((await scim.oktaAddMember(group.id, member, member)).status, 200);
      return group.id;
    }

    beforeAll(async () => {
      t = await startTestPlatform(kind);
      assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
      connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
      assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'other', name: 'Other' })).status, 201);
      const rule = await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { membership: { scimGroups: ['Engineering'] } });
      assert.equal(rule.status, 200, rule.text);
      expect(rule.json.settings.membership).toStrictEqual({ scimGroups: ['Engineering'] });
      for (const document of [
        { id: 'roadmap', title: 'Quantum roadmap', text: 'The quantum roadmap for next year.', acl: { groups: ['Roadmap'] } },
        { id: 'welcome', title: 'Quantum welcome', text: 'Welcome to the quantum team.' },
      ]) assert.ok([200, 201].includes((await t.api('PUT', `/v1/tenants/acme/workspaces/handbook/documents/${document.id}`, document)).status));
      const issued = (await t.api('POST', '/v1/tenants/acme/scim-tokens', { label: 'IdP' })).json;
      scim = new ScimClient(issued.scimUrl, issued.token);
    });
    afterAll(async () => t?.close());

    it('admits members of the SCIM groups a workspace names, and only them, at sign-in', async () => {
      const dana = { email: 'dana@acme.example', password: PASSWORD };
      const id = await personWithPassword(dana.email);
      await assertSignInRefused(dana); // not a member of handbook yet
      await groupWith('Engineering', id);
      const { exchanged } = await codeFlow(t.baseUrl, connector, dana);
      assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
      expect(await searchIds(exchanged.body.access_token!)).toStrictEqual(['welcome']);
    });

    it('drops a group on the next search, then ends every token of a deactivated person on their next call', async () => {
      const frank = { email: 'frank@acme.example', password: PASSWORD };
      const id = await personWithPassword(frank.email);
      const engineering = (await scim.entraFindGroup('Engineering')).json.Resources[0].id;
      assert.equal((await scim.entraAddMember(engineering, id)).status, 200);
      const roadmap = await groupWith('Roadmap', id);
      const { exchanged } = await codeFlow(t.baseUrl, connector, frank);
      const jwt = exchanged.body.access_token!;
      const issued = await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'Frank@acme.example', groups: ['Roadmap'] });
      const workspaceToken = issued.json.token as string;
      const serviceToken = (await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'reporting-bot', groups: ['Roadmap'] })).json.token as string;
      for (const token of [jwt, workspaceToken, serviceToken]) expect(await searchIds(token)).toStrictEqual(['roadmap', 'welcome']);

      assert.equal((await scim.entraRemoveMember(roadmap, id)).status, 200);
      assert.deepEqual(await searchIds(jwt), ['welcome'], 'the group in the live JWT no longer counts');
      assert.deepEqual(await searchIds(workspaceToken), ['welcome'], 'nor the SCIM group of a token issued to them');
      assert.deepEqual(await searchIds(serviceToken), ['roadmap', 'welcome'], 'a token for a subject outside the directory is as issued');

      const disabled = await scim.entraDisable(id);
      assert.equal(disabled.json.active, false);
      assert.equal(await searchIds(jwt), 401);
      assert.equal(await searchIds(workspaceToken), 401);
      const tokens = (await t.api('GET', '/v1/tenants/acme/workspaces/handbook/access-tokens')).json.accessTokens;
      assert.ok(tokens.find((x: { id: string; revokedAt: string | null }) => x.id === issued.json.id).revokedAt, 'revoked, not only refused');
      const refreshed = await tokenRequest(t.baseUrl, { grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token!, client_id: (await decodeClientId(jwt)) });
      assert.equal(refreshed.status, 400);
      assert.equal(refreshed.body.error, 'invalid_grant');
      await assertSignInRefused(frank); // and cannot sign in again
    });

    it('ends the access of a deleted person on their next call', async () => {
      const gus = { email: 'gus@acme.example', password: PASSWORD };
      const id = await personWithPassword(gus.email);
      assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: gus.email, name: 'Gus' })).status, 201);
      const { exchanged } = await codeFlow(t.baseUrl, connector, gus);
      const workspaceToken = (await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: gus.email })).json.token as string;
      expect(await searchIds(exchanged.body.access_token!)).toStrictEqual(['welcome']);
      expect(await searchIds(workspaceToken)).toStrictEqual(['welcome']);
      assert.equal((await scim.request('DELETE', `/Users/${id}`)).status, 204);
      assert.equal(await searchIds(exchanged.body.access_token!), 401);
      assert.equal(await searchIds(workspaceToken), 401);
    });
  });
}

/** The client id a JWT access token was issued to (its `client_id` claim). */
async function decodeClientId(jwt: string): Promise<string> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).client_id;
}
