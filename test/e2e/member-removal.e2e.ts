/**
 * A tenant admin removes a member from a workspace (`DELETE …/users/{email}`): from their next call the
 * person's live OAuth access token, their refresh token and the workspace access token issued to them
 * stop working at the MCP endpoint, while what they hold for another workspace of the tenant goes on
 * working. 404 for someone who is not a member (a second removal too), 400 for what is not an email,
 * 404 for another tenant; audited. On PostgreSQL and the embedded PGlite.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { codeFlow, tokenRequest } from '../support/oauth-flow';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

const PASSWORD = 'a long enough password';
const HANDBOOK = '/v1/tenants/acme/workspaces/handbook';
const OTHER = '/v1/tenants/acme/workspaces/other';

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`removing a member from a workspace (${kind})`, () => {
    let t: TestPlatform;
    const connectors: Record<'handbook' | 'other', string> = { handbook: '', other: '' };

    /** The ids `search` returns to this bearer, or the HTTP status when the call is refused. */
    async function searchIds(connector: string, token: string): Promise<string[] | number> {
      const response = await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'welcome' } } }, { authorization: `Bearer ${token}` });
      if (response.status !== 200) return response.status;
      return JSON.parse(response.json.result.content[0].text).results.map((r: { id: string }) => r.id);
    }

    beforeAll(async () => {
      t = await startTestPlatform(kind);
      assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
      for (const slug of ['handbook', 'other'] as const) {
        connectors[slug] = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug, name: slug })).json.connectorUrl;
        assert.equal((await t.api('PUT', `/v1/tenants/acme/workspaces/${slug}/documents/welcome`, { title: 'Welcome', text: `Welcome to ${slug}.` })).status, 201);
      }
    });
    afterAll(async () => t?.close());

    it("ends the member's OAuth token, refresh token and workspace access token here on their next call, not elsewhere", async () => {
      const hana = { email: 'hana@acme.example', password: PASSWORD };
      assert.equal((await t.api('POST', `${HANDBOOK}/users`, { email: hana.email, name: 'Hana', password: PASSWORD, groups: ['staff'] })).status, 201);
      assert.equal((await t.api('POST', `${OTHER}/users`, { email: hana.email, name: 'Hana' })).status, 201);
      const here = (await codeFlow(t.baseUrl, connectors.handbook, hana)).exchanged.body;
      const elsewhere = (await codeFlow(t.baseUrl, connectors.other, hana)).exchanged.body;
      const issued = (await t.api('POST', `${HANDBOOK}/access-tokens`, { subject: 'Hana@acme.example' })).json;
      const otherToken = (await t.api('POST', `${OTHER}/access-tokens`, { subject: hana.email })).json.token as string;
      expect(await searchIds(connectors.handbook, here.access_token!)).toStrictEqual(['welcome']);
      expect(await searchIds(connectors.handbook, issued.token)).toStrictEqual(['welcome']);

      const removed = await t.api('DELETE', `${HANDBOOK}/users/${encodeURIComponent('HANA@acme.example')}`);
      assert.equal(removed.status, 204, removed.text);

      assert.equal(await searchIds(connectors.handbook, here.access_token!), 401, 'the live OAuth access token');
      assert.equal(await searchIds(connectors.handbook, issued.token), 401, 'the workspace access token issued to them');
      const clientId = JSON.parse(Buffer.from(here.access_token!.split('.')[1]!, 'base64url').toString()).client_id as string;
      const refreshed = await tokenRequest(t.baseUrl, { grant_type: 'refresh_token', refresh_token: here.refresh_token!, client_id: clientId });
      assert.deepEqual([refreshed.status, refreshed.body.error], [400, 'invalid_grant'], 'the refresh token');
      const tokens = (await t.api('GET', `${HANDBOOK}/access-tokens`)).json.accessTokens as Array<{ id: string; revokedAt: string | null }>;
      assert.ok(tokens.find((x) => x.id === issued.id)!.revokedAt, 'revoked, not only refused');

      assert.deepEqual(await searchIds(connectors.other, elsewhere.access_token!), ['welcome'], 'their OAuth token for another workspace');
      assert.deepEqual(await searchIds(connectors.other, otherToken), ['welcome'], 'their access token for another workspace');
      const members = (await t.api('GET', `${HANDBOOK}/users`)).json.users.map((u: { email: string }) => u.email);
      assert.equal(members.includes(hana.email), false);

      const audit = (await t.api('GET', '/v1/tenants/acme/audit?action=user.remove')).json.events;
      assert.equal(audit.length, 1);
      expect([audit[0].outcome, audit[0].details.accessTokens, audit[0].details.grants]).toStrictEqual(['success', 1, 1]);
      assert.equal(JSON.stringify(audit[0].details).includes(issued.token), false, 'no secret in the audit');
    });

    it('answers 404 for someone who is not a member, a second removal included, and leaves everything as it was', async () => {
      assert.equal((await t.api('POST', `${HANDBOOK}/users`, { email: 'ivo@acme.example', name: 'Ivo' })).status, 201);
      assert.equal((await t.api('DELETE', `${HANDBOOK}/users/ivo@acme.example`)).status, 204);
      const again = await t.api('DELETE', `${HANDBOOK}/users/ivo@acme.example`);
      expect([again.status, again.json.code]).toStrictEqual([404, 'not_found']);
      assert.equal((await t.api('DELETE', `${HANDBOOK}/users/nobody@acme.example`)).status, 404);
      assert.equal((await t.api('DELETE', `${OTHER}/users/ivo@acme.example`)).status, 404, 'a member of one workspace only');
      assert.equal((await t.api('DELETE', '/v1/tenants/acme/workspaces/missing/users/ivo@acme.example')).status, 404);
    });

    it('refuses what is not an email with 400, and another tenant with 404', async () => {
      const bad = await t.api('DELETE', `${HANDBOOK}/users/not-an-email`);
      expect([bad.status, bad.json.code]).toStrictEqual([400, 'validation_failed']);
      assert.match(bad.json.message, /^email:/);
      assert.equal((await t.api('POST', `${HANDBOOK}/users`, { email: 'jo@acme.example', name: 'Jo' })).status, 201);
      const globexKey = (await t.api('POST', '/v1/tenants', { slug: 'globex', name: 'Globex' })).json.apiKey as string;
      assert.equal((await t.api('DELETE', `${HANDBOOK}/users/jo@acme.example`, undefined, globexKey)).status, 404);
      const members = (await t.api('GET', `${HANDBOOK}/users`)).json.users.map((u: { email: string }) => u.email);
      assert.ok(members.includes('jo@acme.example'), 'still a member');
    });
  });
}
