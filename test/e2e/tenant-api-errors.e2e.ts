/**
 * The tenant API (/v1) under attack and misuse: every rejected request answers `{code, message}` with
 * the right status and names the field, another tenant's key sees only 404s, and no rejected write
 * changes what is stored.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertError } from '../support/api-errors';
import { readBody, startTestPlatform, type ApiResponse, type TestPlatform } from '../support/platform';

const DOCS = '/v1/tenants/acme/workspaces/handbook/documents';
const STABLE = `${DOCS}/stable`;
const STABLE_BODY = { title: 'Stable', text: 'This document must never change.', url: 'https://kb.acme.example/stable', metadata: { owner: 'it' }, acl: { groups: ['staff'] } };
const MB = 1024 * 1024;

describe('tenant API errors and tenant isolation (postgres)', () => {
  let t: TestPlatform;
  let acmeKey: string;
  let globexKey: string;
  let acmeTokenId: string;
  let stableBaseline: unknown;

  /** A request with full control of headers (no Authorization unless given). */
  async function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<ApiResponse> {
    const response = await fetch(t.baseUrl + path, { method, headers, body });
    return { status: response.status, headers: response.headers, ...(await readBody(response)) };
  }

  async function assertStableUnchanged(): Promise<void> {
    const now = await t.api('GET', STABLE);
    assert.equal(now.status, 200, now.text);
    assert.deepEqual(now.json, stableBaseline, 'a rejected write changed the stored document');
  }

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    const acme = await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    const globex = await t.api('POST', '/v1/tenants', { slug: 'globex', name: 'Globex' });
    assert.equal(acme.status, 201, acme.text);
    acmeKey = acme.json.apiKey;
    globexKey = globex.json.apiKey;
    assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).status, 201);
    assert.equal((await t.api('POST', '/v1/tenants/globex/workspaces', { slug: 'ops', name: 'Ops' })).status, 201);
    assert.equal((await t.api('PUT', STABLE, STABLE_BODY)).status, 201);
    const token = await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'ana@acme.example' });
    acmeTokenId = token.json.id;
    stableBaseline = (await t.api('GET', STABLE)).json;
    assert.equal((stableBaseline as { text: string }).text, STABLE_BODY.text);
  });
  afterAll(async () => t?.close());

  describe('request validation', () => {
    it('rejects bad tenant slugs with 400 naming the slug field, and creates nothing', async () => {
      for (const slug of ['Acme', 'ACME', 'a'.repeat(64), 'café', 'ünïcode', '', ' ', '-acme', 'acme-', 'ac me', 'ac_me', 'acme\n', '../acme']) {
        const response = await t.api('POST', '/v1/tenants', { slug, name: 'Bad' });
        assertError(response, 400, 'validation_failed', /(^|; )slug: /);
      }
      assert.equal((await t.api('GET', '/v1/tenants/Acme')).status, 404);
      assert.equal((await t.api('GET', `/v1/tenants/${'a'.repeat(64)}`)).status, 404);
      assert.equal((await t.api('POST', '/v1/tenants', { slug: 'a'.repeat(63), name: 'Longest' })).status, 201);
    });

    it('rejects bad workspace slugs with 400 naming the slug field', async () => {
      for (const slug of ['Handbook', 'x'.repeat(64), 'händ', '', 'a/b']) {
        assertError(await t.api('POST', '/v1/tenants/acme/workspaces', { slug, name: 'Bad' }), 400, 'validation_failed', /(^|; )slug: /);
      }
    });

    it('names each missing field', async () => {
      const none = await t.api('POST', '/v1/tenants', {});
      assertError(none, 400, 'validation_failed', /(^|; )slug: /);
      assert.match(none.json.message, /(^|; )name: /);
      assertError(await t.api('POST', '/v1/tenants', { slug: 'nameless' }), 400, 'validation_failed', /^name: /);
      assertError(await t.api('POST', '/v1/tenants', { name: 'Slugless' }), 400, 'validation_failed', /^slug: /);
      assertError(await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', {}), 400, 'validation_failed', /^subject: /);
      assertError(await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: 'a@acme.example' }), 400, 'validation_failed', /^name: /);
    });

    it('names an extra field', async () => {
      assertError(await t.api('POST', '/v1/tenants', { slug: 'extra', name: 'Extra', admin: true }), 400, 'validation_failed', /^admin: /);
      assertError(
        await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'x', audience: 'globex' }),
        400,
        'validation_failed',
        /^audience: /,
      );
      assertError(await t.api('PUT', STABLE, { ...STABLE_BODY, owner: 'x' }), 400, 'validation_failed', /^owner: unknown field/);
      await assertStableUnchanged();
      assert.equal((await t.api('GET', '/v1/tenants/extra')).status, 404);
    });

    it('names a field of the wrong type', async () => {
      assertError(await t.api('POST', '/v1/tenants', { slug: 42, name: 'Num' }), 400, 'validation_failed', /^slug: /);
      assertError(await t.api('POST', '/v1/tenants', { slug: 'typed', name: ['a'] }), 400, 'validation_failed', /^name: /);
      assertError(await t.api('POST', '/v1/tenants', { slug: 'typed', name: '' }), 400, 'validation_failed', /^name: /);
      assertError(await t.api('POST', '/v1/tenants', { slug: 'typed', name: 'x'.repeat(201) }), 400, 'validation_failed', /^name: /);
      const tokens = '/v1/tenants/acme/workspaces/handbook/access-tokens';
      assertError(await t.api('POST', tokens, { subject: 'x', expiresInDays: '30' }), 400, 'validation_failed', /^expiresInDays: /);
      assertError(await t.api('POST', tokens, { subject: 'x', expiresInDays: 0 }), 400, 'validation_failed', /^expiresInDays: /);
      assertError(await t.api('POST', tokens, { subject: 'x', scopes: 'search' }), 400, 'validation_failed', /^scopes: /);
      assertError(await t.api('POST', tokens, { subject: 'x', scopes: ['search', 'admin'] }), 400, 'validation_failed', /^scopes: /);
      assertError(await t.api('POST', tokens, { subject: 'x', groups: ['ok', 'no spaces'] }), 400, 'validation_failed', /^groups: /);
      const users = '/v1/tenants/acme/workspaces/handbook/users';
      assertError(await t.api('POST', users, { email: 'not-an-email', name: 'X' }), 400, 'validation_failed', /^email: /);
      assertError(await t.api('POST', users, { email: 'x@acme.example', name: 'X', password: 'short' }), 400, 'validation_failed', /^password: /);
      assertError(await t.api('POST', users, { email: 'x@acme.example', name: 'X', groups: 'staff' }), 400, 'validation_failed', /^groups: /);
      assertError(await t.api('PUT', STABLE, { ...STABLE_BODY, title: 12 }), 400, 'validation_failed', /^title: /);
      assertError(await t.api('PUT', STABLE, { ...STABLE_BODY, text: { a: 1 } }), 400, 'validation_failed', /^text: /);
      await assertStableUnchanged();
    });

    it('refuses null for a setting or an optional field instead of storing it, and changes nothing', async () => {
      const workspace = '/v1/tenants/acme/workspaces/handbook';
      const before = (await t.api('GET', workspace)).json.settings;
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ searchResultLimit: null }, /^searchResultLimit: /],
        [{ queryGuard: null }, /^queryGuard: /],
        [{ name: null }, /^name: /],
        [{ queryGuard: { mode: null } }, /^queryGuard\.mode: /],
        [{ queryGuard: { maxQueryChars: null } }, /^queryGuard\.maxQueryChars: /],
        [{ rateLimits: { workspacePerMinute: null } }, /^rateLimits\.workspacePerMinute: /],
        [{ queryLog: { retentionDays: null } }, /^queryLog\.retentionDays: /],
        [{ clientPolicy: { allowDynamicRegistration: null } }, /^clientPolicy\.allowDynamicRegistration: /],
      ];
      for (const [body, field] of cases) {
        assertError(await t.api('PATCH', workspace, body), 400, 'validation_failed', field);
      }
      assert.deepEqual((await t.api('GET', workspace)).json.settings, before, 'a refused PATCH stored nothing');
      assertError(await t.api('POST', `${workspace}/access-tokens`, { subject: 'x', expiresInDays: null }), 400, 'validation_failed', /^expiresInDays: /);
      assertError(await t.api('POST', `${workspace}/users`, { email: 'n@acme.example', name: 'N', groups: null }), 400, 'validation_failed', /^groups: /);
    });

    it('refuses a whitespace-only access token subject instead of storing an empty subject', async () => {
      const response = await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: '   ' });
      assertError(response, 400, 'validation_failed', /^subject: /);
    });

    it('never widens an explicitly empty scopes list to every tool', async () => {
      const response = await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'noscope@acme.example', scopes: [] });
      if (response.status === 400) return assertError(response, 400, 'validation_failed', /^scopes: /);
      assert.equal(response.status, 201, response.text);
      assert.deepEqual(response.json.scopes, [], 'a token asked for with scopes [] was granted every tool');
    });

    it('answers a body that is not JSON with 400', async () => {
      const headers = { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' };
      assertError(await raw('POST', '/v1/tenants', headers, '{"slug": "x", '), 400, 'validation_failed', /not valid JSON/);
      const form = await raw('POST', '/v1/tenants', headers, 'slug=x&name=secret-value');
      assertError(form, 400, 'validation_failed', /not valid JSON/);
      assert.doesNotMatch(form.json.message, /secret-value/, 'the error echoes the request body back');
      assertError(await raw('POST', '/v1/tenants', headers, '"acme"'), 400, 'validation_failed');
      assertError(await raw('POST', '/v1/tenants', headers, 'null'), 400, 'validation_failed');
      assertError(await raw('PUT', STABLE, headers, '{"title": "x", "text": '), 400, 'validation_failed', /not valid JSON/);
      await assertStableUnchanged();
    });

    it('answers a body sent as text/plain with a 4xx error, never a 500', async () => {
      const response = await raw('POST', '/v1/tenants', { authorization: `Bearer ${t.adminToken}`, 'content-type': 'text/plain' }, '{"slug":"plain","name":"Plain"}');
      assert.ok([400, 415].includes(response.status), `${response.status} ${response.text}`);
      assertError(response, response.status, response.status === 400 ? 'validation_failed' : 'unsupported_media_type');
      assert.equal((await t.api('GET', '/v1/tenants/plain')).status, 404);
    });

    it('answers a JSON array body with 400', async () => {
      assertError(await t.api('POST', '/v1/tenants', []), 400, 'validation_failed');
      assertError(await t.api('POST', '/v1/tenants', [{ slug: 'arr', name: 'Array' }]), 400, 'validation_failed');
      assertError(await t.api('POST', '/v1/tenants/acme/workspaces', [{ slug: 'arr', name: 'Array' }]), 400, 'validation_failed');
      assertError(await t.api('PUT', STABLE, [STABLE_BODY]), 400, 'validation_failed', /must be a JSON object/);
      assert.equal((await t.api('GET', '/v1/tenants/arr')).status, 404);
      await assertStableUnchanged();
    });

    it('answers a deeply nested extra field with 400, never a 500', async () => {
      const deep = `${'{"k":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
      const tenant = await raw('POST', '/v1/tenants', { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' }, `{"slug":"deep","name":"Deep","x":${deep}}`);
      assertError(tenant, 400, 'validation_failed');
      assert.equal((await t.api('GET', '/v1/tenants/deep')).status, 404);
    });

    it('answers deeply nested document metadata with 400, never a 500', async () => {
      // Hostile depth is refused by the body parser's depth guard; moderate depth by the metadata rule.
      const deep = `${'{"k":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
      const put = await t.api('PUT', STABLE, `{"title":"Deep","text":"deep","metadata":${deep}}`);
      assertError(put, 400, 'validation_failed', /nests deeper than 64 levels/);
      const moderate = `${'{"k":'.repeat(10)}1${'}'.repeat(10)}`;
      const put2 = await t.api('PUT', STABLE, `{"title":"Deep","text":"deep","metadata":${moderate}}`);
      assertError(put2, 400, 'validation_failed', /^metadata: must nest at most/);
      await assertStableUnchanged();
    });
  });

  describe('authentication', () => {
    it('answers 401 without a token, with a wrong token and with a non-Bearer scheme', async () => {
      const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer tsk_not-a-real-key' }, { authorization: `Bearer ${t.adminToken}x` }, { authorization: `Basic ${Buffer.from(`admin:${t.adminToken}`).toString('base64')}` }, { authorization: 'Bearer' }, { authorization: `Bearer ${'a'.repeat(8000)}` }];
      for (const headers of attempts) {
        assertError(await raw('GET', '/v1/tenants/acme', headers), 401, 'unauthorized');
        assertError(await raw('POST', '/v1/tenants', { ...headers, 'content-type': 'application/json' }, '{"slug":"anon","name":"Anon"}'), 401, 'unauthorized');
        assertError(await raw('GET', STABLE, headers), 401, 'unauthorized');
      }
      assert.equal((await t.api('GET', '/v1/tenants/anon')).status, 404);
    });

    it('sends a Bearer challenge with every 401 (RFC 6750 §3)', async () => {
      for (const headers of [{}, { authorization: 'Bearer tsk_not-a-real-key' }] as Array<Record<string, string>>) {
        const response = await raw('GET', '/v1/tenants/acme', headers);
        assert.equal(response.status, 401);
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/i, 'a 401 without WWW-Authenticate');
      }
    });

    it('does not accept a workspace access token as an API key', async () => {
      const token = (await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject: 'bot@acme.example' })).json.token as string;
      assertError(await t.api('GET', '/v1/tenants/acme', undefined, token), 401, 'unauthorized');
      assertError(await t.api('GET', STABLE, undefined, token), 401, 'unauthorized');
    });

    it('lets a tenant key manage its own tenant', async () => {
      assert.equal((await t.api('GET', '/v1/tenants/acme', undefined, acmeKey)).status, 200);
      assert.equal((await t.api('GET', STABLE, undefined, acmeKey)).status, 200);
      assert.equal((await t.api('GET', '/v1/tenants/globex/workspaces/ops', undefined, globexKey)).status, 200);
    });
  });

  describe("another tenant's key", () => {
    it('gets 404, never 403 and never data, on every route of the other tenant', async () => {
      const ws = '/v1/tenants/acme/workspaces/handbook';
      const ndjson = JSON.stringify({ id: 'intruder', title: 'x', text: 'planted' }) + '\n';
      const attempts: Array<[string, string, unknown?, string?]> = [
        ['GET', '/v1/tenants/acme'],
        ['GET', '/v1/tenants/acme/workspaces'],
        ['POST', '/v1/tenants/acme/workspaces', { slug: 'planted', name: 'Planted' }],
        ['GET', ws],
        ['DELETE', ws],
        ['GET', STABLE],
        ['PUT', STABLE, { title: 'Pwned', text: 'overwritten by globex' }],
        ['PUT', `${DOCS}/intruder`, { title: 'Pwned', text: 'planted by globex' }],
        ['DELETE', STABLE],
        ['DELETE', `${DOCS}/does-not-exist`],
        ['POST', `${ws}/documents:bulk`, ndjson, 'application/x-ndjson'],
        ['GET', `${ws}/users`],
        ['POST', `${ws}/users`, { email: 'mallory@globex.example', name: 'Mallory', groups: ['staff'] }],
        ['GET', `${ws}/access-tokens`],
        ['POST', `${ws}/access-tokens`, { subject: 'mallory@globex.example', groups: ['staff'] }],
        ['DELETE', `${ws}/access-tokens/${acmeTokenId}`],
        ['GET', '/v1/tenants/acme/workspaces/nope'],
        ['POST', '/v1/tenants/acme/identity-provider/test-sign-ins'],
        ['GET', `/v1/tenants/acme/identity-provider/test-sign-ins/${'a'.repeat(32)}`],
        ['GET', `${ws}/users/ana@acme.example/consents`],
      ];
      for (const [method, path, body, contentType] of attempts) {
        const response = await t.api(method, path, body, globexKey, contentType);
        assertError(response, 404, 'not_found');
        assert.doesNotMatch(response.text, /Stable|never change|ana@acme|handbook"/, `${method} ${path} leaked data`);
      }
      // The same answers as for a tenant that does not exist at all.
      assertError(await t.api('GET', '/v1/tenants/initech', undefined, globexKey), 404, 'not_found');
    });

    it("changed nothing of the other tenant's", async () => {
      await assertStableUnchanged();
      assert.equal((await t.api('GET', `${DOCS}/intruder`)).status, 404);
      assert.equal((await t.api('GET', '/v1/tenants/acme/workspaces/planted')).status, 404);
      assert.equal((await t.api('GET', '/v1/tenants/acme/workspaces/handbook')).status, 200);
      const users = await t.api('GET', '/v1/tenants/acme/workspaces/handbook/users');
      expect(users.json.users).toStrictEqual([]);
      const tokens = (await t.api('GET', '/v1/tenants/acme/workspaces/handbook/access-tokens')).json.accessTokens as Array<{ id: string; subject: string; revokedAt: string | null }>;
      assert.equal(tokens.find((tok) => tok.id === acmeTokenId)?.revokedAt, null);
      assert.ok(!tokens.some((tok) => tok.subject.includes('mallory')));
    });

    it('cannot create tenants (403)', async () => {
      assertError(await t.api('POST', '/v1/tenants', { slug: 'hostile', name: 'Hostile' }, globexKey), 403, 'forbidden');
      assert.equal((await t.api('GET', '/v1/tenants/hostile')).status, 404);
    });
  });

  describe('conflicts', () => {
    it('answers 409 for a duplicate tenant slug and keeps the first tenant', async () => {
      const response = await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme again' });
      assertError(response, 409, 'conflict', /acme/);
      assert.equal(response.json.apiKey, undefined);
      assert.equal((await t.api('GET', '/v1/tenants/acme')).json.name, 'Acme');
      assert.equal((await t.api('GET', '/v1/tenants/acme', undefined, acmeKey)).status, 200, 'the first key still works');
    });

    it('answers 409 for a duplicate workspace slug in a tenant, and allows the same slug in another tenant', async () => {
      assertError(await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Again' }), 409, 'conflict', /handbook/);
      assert.equal((await t.api('GET', '/v1/tenants/acme/workspaces/handbook')).json.name, 'Handbook');
      assert.equal((await t.api('POST', '/v1/tenants/globex/workspaces', { slug: 'handbook', name: 'Globex Handbook' }, globexKey)).status, 201);
    });
  });

  describe('document writes', () => {
    it('answers 413 for a JSON body over the limit and stores nothing', async () => {
      const body = JSON.stringify({ title: 'Huge', text: 'x'.repeat(7 * MB) });
      assertError(await t.api('PUT', STABLE, body), 413, 'payload_too_large');
      assertError(await t.api('PUT', `${DOCS}/huge`, body), 413, 'payload_too_large');
      assert.equal((await t.api('GET', `${DOCS}/huge`)).status, 404);
      await assertStableUnchanged();
    });

    it('answers 400 naming text for text over 5 MB inside a body under the limit', async () => {
      assertError(await t.api('PUT', STABLE, { title: 'Big', text: 'x'.repeat(5 * MB + 10) }), 400, 'validation_failed', /^text: /);
      await assertStableUnchanged();
    });

    it('answers 415 for PUT with a content type other than JSON', async () => {
      const json = JSON.stringify({ title: 'Changed', text: 'changed' });
      const statuses: Record<string, number> = {};
      const types = ['text/plain', 'application/x-www-form-urlencoded', 'application/x-ndjson', 'application/jsonl', 'application/json-seq', 'text/html'];
      for (const contentType of types) statuses[contentType] = (await t.api('PUT', STABLE, json, undefined, contentType)).status;
      expect(statuses).toStrictEqual(Object.fromEntries(types.map((type) => [type, 415])));
      assertError(await t.api('PUT', STABLE, json, undefined, 'text/plain'), 415, 'unsupported_media_type');
      assertError(await raw('PUT', STABLE, { authorization: `Bearer ${t.adminToken}` }, json), 415, 'unsupported_media_type');
      await assertStableUnchanged();
    });

    it('answers 415 for a bulk upload that is not NDJSON', async () => {
      const line = JSON.stringify({ id: 'stable', title: 'Changed', text: 'changed' }) + '\n';
      for (const contentType of ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/ndjsonx']) {
        assertError(await t.api('POST', `${DOCS}:bulk`, line, undefined, contentType), 415, 'unsupported_media_type');
      }
      assertError(await raw('POST', `${DOCS}:bulk`, { authorization: `Bearer ${t.adminToken}` }, line), 415, 'unsupported_media_type');
      await assertStableUnchanged();
    });

    it('answers 413 for a bulk upload that declares more than 64 MB, before reading it', async () => {
      const url = new URL(`${t.baseUrl}${DOCS}:bulk`);
      const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/x-ndjson', 'content-length': String(65 * MB) } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
            res.on('error', reject);
          },
        );
        req.on('error', (error) => reject(error));
        req.write(JSON.stringify({ id: 'early', title: 'x', text: 'y' }) + '\n');
        setTimeout(() => req.destroy(), 5000).unref();
      });
      assert.equal(response.status, 413, response.text);
      assert.equal(JSON.parse(response.text).code, 'payload_too_large');
      assert.equal((await t.api('GET', `${DOCS}/early`)).status, 404);
    });

    it('reports an NDJSON line over the limit as that line failing, and lands the others', async () => {
      const big = JSON.stringify({ id: 'big-line', title: 'Big', text: 'x'.repeat(6 * MB) });
      const body = [JSON.stringify({ id: 'bulk-before', title: 'Before', text: 'first' }), big, JSON.stringify({ id: 'bulk-after', title: 'After', text: 'last' })].join('\n') + '\n';
      const response = await t.api('POST', `${DOCS}:bulk`, body, undefined, 'application/x-ndjson');
      assert.equal(response.status, 200, response.text.slice(0, 300));
      expect(response.json.summary).toStrictEqual({ received: 3, created: 2, updated: 0, unchanged: 0, deleted: 0, failed: 1 });
      const [first, second, third] = response.json.results;
      expect(first).toStrictEqual({ line: 1, id: 'bulk-before', status: 'created' });
      assert.equal(second.line, 2);
      assert.equal(second.status, 'failed');
      assert.equal(second.error.code, 'payload_too_large');
      expect(third).toStrictEqual({ line: 3, id: 'bulk-after', status: 'created' });
      assert.equal((await t.api('GET', `${DOCS}/big-line`)).status, 404);
    });

    it('reports deeply nested metadata in an NDJSON line as that line failing, never failing the request', async () => {
      const deep = `${'{"k":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
      const body = [`{"id":"deep-line","title":"Deep","text":"deep","metadata":${deep}}`, JSON.stringify({ id: 'after-deep', title: 'After', text: 'fine' })].join('\n');
      const response = await t.api('POST', `${DOCS}:bulk`, body, undefined, 'application/x-ndjson');
      assert.equal(response.status, 200, response.text.slice(0, 300));
      assert.equal(response.json.results[0].status, 'failed');
      assert.match(response.json.results[0].error.message, /^metadata: /);
      assert.equal(response.json.results[1].status, 'created');
    });

    it('rejects document ids with path traversal, unicode or 129 characters, and accepts 128', async () => {
      for (const id of ['..%2F..%2Fetc%2Fpasswd', '..%2Fstable', 'a%2Fb', 'caf%C3%A9', '%E2%80%AEtxt.exe', 'x'.repeat(129), 'a%00b', '%20lead', 'a%5Cb']) {
        const response = await t.api('PUT', `${DOCS}/${id}`, { title: 'Id', text: 'id test' });
        // A NUL is refused at the edge, before any route reads the id.
        assertError(response, 400, 'validation_failed', id.includes('%00') ? /NUL/ : /^id: /);
        if (!id.includes('%00')) {
          const read = await t.api('GET', `${DOCS}/${id}`);
          assert.ok([400, 404].includes(read.status), `GET ${id}: ${read.status}`);
        }
      }
      for (const id of ['a%FF', '%', 'a%2', '%C0%AE%C0%AE']) {
        assertError(await t.api('PUT', `${DOCS}/${id}`, { title: 'Id', text: 'bad escape' }), 400, 'validation_failed');
        assertError(await t.api('GET', `${DOCS}/${id}`), 400, 'validation_failed');
      }
      assert.equal((await t.api('PUT', `${DOCS}/${'y'.repeat(128)}`, { title: 'Long id', text: 'fine' })).status, 201);
      assert.equal((await t.api('GET', `${DOCS}/${'y'.repeat(128)}`)).json.id, 'y'.repeat(128));
      await assertStableUnchanged();
    });

    it('rejects a body id that disagrees with the URL', async () => {
      assertError(await t.api('PUT', STABLE, { ...STABLE_BODY, id: 'other', title: 'Changed' }), 400, 'validation_failed', /^id: /);
      await assertStableUnchanged();
    });

    it('rejects urls that are not http(s)', async () => {
      for (const url of ['javascript:alert(document.cookie)', ' javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'file:///etc/passwd', 'vbscript:msgbox', '//evil.example']) {
        assertError(await t.api('PUT', STABLE, { ...STABLE_BODY, url, title: 'Changed' }), 400, 'validation_failed', /^url: /);
      }
      await assertStableUnchanged();
    });

    it('rejects metadata that is too deep or too large, and acl entries that are not strings', async () => {
      const bad: Array<[Record<string, unknown>, RegExp]> = [
        [{ metadata: { a: { b: { c: { d: { e: 1 } } } } } }, /^metadata: .*levels/],
        [{ metadata: { blob: 'x'.repeat(17 * 1024) } }, /^metadata: .*KB/],
        [{ metadata: ['a'] }, /^metadata: /],
        [{ acl: { users: [42] } }, /^acl\.users: /],
        [{ acl: { groups: [null] } }, /^acl\.groups: /],
        [{ acl: { groups: 'staff' } }, /^acl\.groups: /],
        [{ acl: { roles: ['admin'] } }, /^acl\.roles: /],
        [{ acl: ['staff'] }, /^acl: /],
      ];
      for (const [change, message] of bad) {
        assertError(await t.api('PUT', STABLE, { ...STABLE_BODY, title: 'Changed', ...change }), 400, 'validation_failed', message);
      }
      await assertStableUnchanged();
    });

    it('answers a NUL character in a stored field with a 4xx or stores it, never a 500', async () => {
      const failures: string[] = [];
      const changes = [{ metadata: { note: 'a\u0000b' } }, { metadata: { 'k\u0000': 'v' } }, { url: 'https://kb.acme.example/a\u0000b' }, { acl: { users: ['ana\u0000@acme.example'] } }, { acl: { groups: ['g\u0000'] } }, { title: 'Nul\u0000title' }, { text: 'nul\u0000text' }];
      for (const [i, change] of changes.entries()) {
        const response = await t.api('PUT', `${DOCS}/nul-${i}`, { title: 'Nul', text: 'nul test', ...change });
        if (response.status >= 500) failures.push(`${JSON.stringify(change)} → ${response.status}`);
      }
      for (const method of ['GET', 'DELETE']) {
        const response = await t.api(method, `${DOCS}/a%00b`);
        if (response.status >= 500) failures.push(`${method} ${DOCS}/a%00b → ${response.status}`);
      }
      const bulk = await t.api('POST', `${DOCS}:bulk`, JSON.stringify({ id: 'nul-bulk', title: 'Nul', text: 'x', metadata: { note: 'a\u0000b' } }), undefined, 'application/x-ndjson');
      if (bulk.status >= 500) failures.push(`bulk → ${bulk.status}`);
      else if (bulk.json.results[0].error?.code === 'internal_error') failures.push(`bulk line → internal_error "${bulk.json.results[0].error.message}"`);
      expect(failures).toStrictEqual([]);
    });

    it('leaves the stored document unchanged after a bulk line for it fails', async () => {
      const body = JSON.stringify({ id: 'stable', title: 'Changed', text: 'changed', url: 'javascript:alert(1)' }) + '\n';
      const response = await t.api('POST', `${DOCS}:bulk`, body, undefined, 'application/x-ndjson');
      assert.equal(response.status, 200);
      assert.equal(response.json.results[0].status, 'failed');
      await assertStableUnchanged();
    });

    it('answers a PUT of the same content with 201 created, then 200 unchanged, then 200 updated', async () => {
      const body = { title: 'Twice', text: 'Same content twice.', metadata: { v: 1 } };
      const first = await t.api('PUT', `${DOCS}/twice`, body);
      assert.equal(first.status, 201);
      expect(first.json).toStrictEqual({ id: 'twice', status: 'created' });
      const stored = (await t.api('GET', `${DOCS}/twice`)).json;
      const second = await t.api('PUT', `${DOCS}/twice`, body);
      assert.equal(second.status, 200);
      expect(second.json).toStrictEqual({ id: 'twice', status: 'unchanged' });
      assert.deepEqual((await t.api('GET', `${DOCS}/twice`)).json, stored, 'an unchanged PUT must not touch the document');
      const third = await t.api('PUT', `${DOCS}/twice`, { ...body, metadata: { v: 2 } });
      assert.equal(third.status, 200);
      expect(third.json).toStrictEqual({ id: 'twice', status: 'updated' });
    });

    it('answers 404 for GET and DELETE of a document that does not exist', async () => {
      assertError(await t.api('GET', `${DOCS}/missing`), 404, 'not_found');
      assertError(await t.api('DELETE', `${DOCS}/missing`), 404, 'not_found');
      assertError(await t.api('PUT', '/v1/tenants/acme/workspaces/missing/documents/x', { title: 'x', text: 'y' }), 404, 'not_found');
    });
  });
});
