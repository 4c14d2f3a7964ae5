/**
 * SCIM 2.0 end to end, as Okta and Microsoft Entra ID drive it: their documented request sequences,
 * bad requests with the status and scimType RFC 7644 gives them, and tenant isolation.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DatabaseKind } from '../support/database-harness';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { ERROR_SCHEMA, PATCH_OP, ScimClient, type ScimResponse, USER_SCHEMA } from '../support/scim-client';

function assertScimError(response: ScimResponse, status: number, scimType?: string): void {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/scim\+json/);
  expect(response.json.schemas).toStrictEqual([ERROR_SCHEMA]);
  assert.equal(response.json.status, String(status));
  assert.equal(response.json.scimType, scimType);
  assert.equal(typeof response.json.detail, 'string');
}

export function scimProtocolSuite(kind: DatabaseKind): void {
  describe(`SCIM 2.0 as Okta and Microsoft Entra use it (${kind})`, () => {
    let t: TestPlatform;
    let acme: ScimClient;
    let globex: ScimClient;
    let acmeKey: string;

    beforeAll(async () => {
      t = await startTestPlatform(kind);
      for (const slug of ['acme', 'globex']) {
        const created = await t.api('POST', '/v1/tenants', { slug, name: slug });
        assert.equal(created.status, 201, created.text);
        if (slug === 'acme') acmeKey = created.json.apiKey;
      }
      const issued = await t.api('POST', '/v1/tenants/acme/scim-tokens', { label: 'Okta' });
      assert.equal(issued.status, 201, issued.text);
      assert.match(issued.json.id, /^[0-9a-f-]{36}$/);
      assert.match(issued.json.token, /^tss_/);
      assert.equal(issued.json.scimUrl, `${t.baseUrl}/scim/v2/acme`);
      acme = new ScimClient(issued.json.scimUrl, issued.json.token);
      globex = new ScimClient(`${t.baseUrl}/scim/v2/globex`, (await t.api('POST', '/v1/tenants/globex/scim-tokens', {})).json.token);
    });
    afterAll(async () => t?.close());

    it("runs Okta's user and group sequence", async () => {
      assert.equal((await acme.findUserByUserName('test.user@okta.local')).json.totalResults, 0);
      const created = await acme.oktaCreateUser('Test.User@okta.local', '00ujl29u0le5T6Aj10h7');
      assert.equal(created.status, 201, created.text);
      assert.match(created.headers.get('content-type') ?? '', /^application\/scim\+json/);
      const user = created.json;
      assert.equal(user.userName, 'test.user@okta.local');
      assert.equal(user.active, true);
      assert.equal(user.password, undefined, 'a password is never stored or returned');
      assert.equal(created.headers.get('location'), `${acme.baseUrl}/Users/${user.id}`);
      assert.equal(created.headers.get('etag'), user.meta.version);
      const found = await acme.findUserByUserName('test.user@okta.local');
      assert.equal(found.json.totalResults, 1);
      assert.equal(found.json.Resources[0].id, user.id);

      const group = (await acme.oktaCreateGroup('Test SCIMv2')).json;
      assert.equal((await acme.oktaRenameGroup(group.id, 'Okta Engineering')).json.displayName, 'Okta Engineering');
      const added = await acme.oktaAddMember(group.id, user.id, user.userName);
      assert.equal(added.status, 200, added.text);
      expect(added.json.members.map((m: { value: string }) => m.value)).toStrictEqual([user.id]);
      expect((await acme.request('GET', `/Users/${user.id}`)).json.groups.map((g: { display: string }) => g.display)).toStrictEqual(['Okta Engineering']);
      expect((await acme.oktaRemoveMember(group.id, user.id)).json.members).toStrictEqual([]);

      const deactivated = await acme.oktaDeactivate(user.id);
      assert.equal(deactivated.status, 200, deactivated.text);
      assert.equal(deactivated.json.active, false);
      assert.equal((await acme.request('DELETE', `/Groups/${group.id}`)).status, 204);
      assertScimError(await acme.request('GET', `/Groups/${group.id}`), 404);
    });

    it("runs Microsoft Entra's user and group sequence, string booleans and capitalized ops included", async () => {
      const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
      assert.equal((await acme.findUserByUserName(userName)).json.totalResults, 0);
      const created = await acme.entraCreateUser(userName, '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef');
      assert.equal(created.status, 201, created.text);
      const id = created.json.id;
      expect(created.json['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toStrictEqual({ department: 'Research', employeeNumber: '17' });
      const byExternalId = await acme.request('GET', `/Users?filter=${encodeURIComponent('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`);
      assert.equal(byExternalId.json.Resources[0].id, id);

      const updated = await acme.entraUpdateUser(id);
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.json.emails[0].value, 'updatedEmail@microsoft.com');
      assert.equal(updated.json.name.familyName, 'updatedFamilyName');
      const disabled = await acme.entraDisable(id);
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal(disabled.json.active, false, '"False" is false');

      const group = await acme.entraCreateGroup('Entra Sales', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159');
      assert.equal(group.status, 201, group.text);
      const found = await acme.entraFindGroup('Entra Sales');
      assert.equal(found.json.totalResults, 1);
      assert.equal(found.json.Resources[0].members, undefined, 'excludedAttributes=members leaves members out');
      expect((await acme.entraAddMember(group.json.id, id)).json.members.map((m: { value: string }) => m.value)).toStrictEqual([id]);
      expect((await acme.entraRemoveMember(group.json.id, id)).json.members).toStrictEqual([]);
      assert.equal((await acme.request('DELETE', `/Users/${id}`)).status, 204);
      assertScimError(await acme.request('GET', `/Users/${id}`), 404);
      assert.equal((await acme.request('DELETE', `/Groups/${group.json.id}`)).status, 204);
    });

    it('pages with startIndex and count, and reports totalResults', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await acme.oktaCreateUser(`page${i}@acme.example`, `p${i}`)).status, 201);
      const first = await acme.request('GET', '/Users?startIndex=1&count=2');
      const third = await acme.request('GET', '/Users?startIndex=5&count=2');
      assert.equal(first.json.itemsPerPage, 2);
      assert.equal(first.json.startIndex, 1);
      assert.equal(third.json.totalResults, first.json.totalResults);
      assert.ok(first.json.totalResults >= 5);
      const ids = new Set([...first.json.Resources, ...third.json.Resources].map((u: { id: string }) => u.id));
      assert.equal(ids.size, first.json.Resources.length + third.json.Resources.length, 'pages do not overlap');
      const beyond = await acme.request('GET', `/Users?startIndex=${first.json.totalResults + 10}`);
      assert.equal(beyond.json.totalResults, first.json.totalResults);
      expect(beyond.json.Resources).toStrictEqual([]);
    });

    it('answers the discovery endpoints', async () => {
      const config = await acme.request('GET', '/ServiceProviderConfig');
      assert.equal(config.json.patch.supported, true);
      assert.equal(config.json.filter.supported, true);
      expect((await acme.request('GET', '/ResourceTypes')).json.Resources.map((r: { id: string }) => r.id)).toStrictEqual(['User', 'Group']);
      assert.equal((await acme.request('GET', `/Schemas/${USER_SCHEMA}`)).json.name, 'User');
    });

    it('answers bad requests with SCIM errors: status and scimType', async () => {
      const user = (await acme.oktaCreateUser('errors@acme.example', 'e1')).json;
      assertScimError(await acme.request('GET', `/Users?filter=${encodeURIComponent('userName co "err"')}`), 400, 'invalidFilter');
      assertScimError(await acme.request('GET', `/Users?filter=${encodeURIComponent('title eq "x"')}`), 400, 'invalidFilter');
      assertScimError(await acme.request('GET', `/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter');
      assertScimError(await acme.request('POST', '/Users', { schemas: [USER_SCHEMA], name: { givenName: 'No' } }), 400, 'invalidValue');
      assertScimError(await acme.request('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'x@acme.example', active: 'maybe' }), 400, 'invalidValue');
      assertScimError(await acme.oktaCreateUser('ERRORS@acme.example', 'e2'), 409, 'uniqueness');
      assertScimError(await acme.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'frobnicate', path: 'active', value: true }] }), 400, 'invalidSyntax');
      assertScimError(await acme.request('PATCH', `/Users/${user.id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }), 400, 'invalidSyntax');
      assertScimError(await acme.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove' }] }), 400, 'noTarget');
      assertScimError(await acme.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'a@b.c' }] }), 400, 'noTarget');
      assertScimError(await acme.request('PATCH', `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 'nope' }] }), 400, 'invalidValue');
      const group = (await acme.oktaCreateGroup('Errors')).json;
      assertScimError(await acme.oktaAddMember(group.id, '6f1c1c38-0c36-4b3c-a3b8-8c7a3c3f0a11', 'ghost'), 400, 'invalidValue');
      assertScimError(await acme.oktaCreateGroup('Errors'), 409, 'uniqueness');
      assertScimError(await acme.request('POST', '/Users', '{"userName": ', { contentType: 'application/scim+json' }), 400, 'invalidSyntax');
      assertScimError(await acme.request('POST', '/Users', 'userName=x', { contentType: 'text/plain' }), 415);
      assertScimError(await acme.request('POST', '/Users', `{"userName": "deep@acme.example", "x": ${'['.repeat(100)}${']'.repeat(100)}}`), 400, 'invalidSyntax');
      assertScimError(await acme.request('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'big@acme.example', title: 'x'.repeat(7 * 1024 * 1024) }), 413);
      assertScimError(await acme.request('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'wide@acme.example', title: 'x'.repeat(20_000) }), 400, 'invalidValue');
      assertScimError(await acme.request('GET', '/Users/not-an-id'), 404);
      assertScimError(await acme.request('GET', '/Bulk'), 404);
      assertScimError(await acme.request('PUT', `/Users/${user.id}`, { schemas: [USER_SCHEMA], userName: 'errors@acme.example' }, { headers: { 'if-match': 'W/"999"' } }), 412);
      const missing = await acme.request('GET', '/Users', undefined, { token: 'tss_not-a-real-token-0123456789' });
      assertScimError(missing, 401);
      assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer/);
      assertScimError(await acme.request('GET', '/Users', undefined, { token: acmeKey }), 401);
    });

    it("keeps tenants apart: another tenant's SCIM token is refused, and sees or changes nothing of this one", async () => {
      const user = (await acme.oktaCreateUser('private@acme.example', 'x1')).json;
      const group = (await acme.oktaCreateGroup('Acme Only')).json;
      const foreign = await globex.request('GET', '/Users', undefined);
      assert.equal(foreign.status, 200);
      assert.equal(foreign.json.totalResults, 0, 'globex sees none of acme’s users');
      // Globex's token at acme's base URL: refused outright.
      assertScimError(await acme.request('GET', '/Users', undefined, { token: globex.token }), 401);
      // Acme's ids at globex's base URL: as if they did not exist.
      assertScimError(await globex.request('GET', `/Users/${user.id}`), 404);
      assertScimError(await globex.oktaDeactivate(user.id), 404);
      assertScimError(await globex.request('DELETE', `/Users/${user.id}`), 404);
      assertScimError(await globex.oktaAddMember(group.id, user.id, 'x'), 404);
      const globexGroup = (await globex.oktaCreateGroup('Globex')).json;
      assertScimError(await globex.oktaAddMember(globexGroup.id, user.id, 'x'), 400, 'invalidValue');
      assert.equal((await globex.findUserByUserName('private@acme.example')).json.totalResults, 0);
      const still = await acme.request('GET', `/Users/${user.id}`);
      assert.equal(still.json.active, true);
      assert.equal(still.json.meta.version, user.meta.version);
    });

    it('lists and revokes SCIM tokens through /v1; a revoked token stops at once; every change is audited', async () => {
      const issued = (await t.api('POST', '/v1/tenants/acme/scim-tokens', { label: 'Entra' })).json;
      const client = new ScimClient(acme.baseUrl, issued.token);
      assert.equal((await client.request('GET', '/Users?count=1')).status, 200);
      const listed = await t.api('GET', '/v1/tenants/acme/scim-tokens');
      assert.ok(listed.json.scimTokens.some((s: { id: string; token?: string }) => s.id === issued.id && s.token === undefined));
      assert.equal((await t.api('DELETE', `/v1/tenants/acme/scim-tokens/${issued.id}`)).status, 204);
      assertScimError(await client.request('GET', '/Users'), 401);
      assert.equal((await t.api('DELETE', `/v1/tenants/globex/scim-tokens/${issued.id}`)).status, 404);
      const audit = await t.api('GET', '/v1/tenants/acme/audit?limit=200');
      const actions = new Set(audit.json.events.map((e: { action: string }) => e.action));
      for (const action of ['scim_token.issue', 'scim_token.revoke', 'scim.user.create', 'scim.user.patch', 'scim.user.deactivate', 'scim.user.credentials_revoked', 'scim.user.delete', 'scim.group.create', 'scim.group.patch', 'scim.group.delete']) {
        assert.ok(actions.has(action), `audited: ${action}`);
      }
    });
  });
}
