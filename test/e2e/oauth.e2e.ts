/**
 * The OAuth flow ChatGPT runs, end to end on real PostgreSQL: the MCP SDK client discovers the
 * authorization server from the connector's 401, registers (DCR), sends the user through sign-in and
 * consent with PKCE and `resource`, exchanges the code and calls the tools. Then the attacks.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Client as PgClient } from 'pg';
import { InMemoryOAuthProvider } from '../support/mcp-oauth-client';
import { authorizeUrl as buildAuthorizeUrl, codeFlow as runCodeFlow, pkce, registerClient, TEST_REDIRECT, tokenRequest } from '../support/oauth-flow';
import { TestBrowser } from '../support/oauth-browser';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

const REDIRECT = TEST_REDIRECT;
const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };
const BOB = { email: 'bob@acme.example', password: 'another long password' };

const toolJson = (result: unknown) => JSON.parse((result as { content: Array<{ text: string }> }).content[0]!.text);

describe('OAuth authorization server with the MCP SDK client (PostgreSQL)', () => {
  let t: TestPlatform;
  let handbook: string;
  let finance: string;

  const register = (redirectUris?: string[]) => registerClient(t.baseUrl, redirectUris);
  const authorizeUrl = (clientId: string, challenge: string, resource: string | undefined, extra: Record<string, string> = {}) =>
    buildAuthorizeUrl(t.baseUrl, clientId, challenge, resource, extra);
  const token = (form: Record<string, string>) => tokenRequest(t.baseUrl, form);
  const codeFlow = (resource: string, who = ANA) => runCodeFlow(t.baseUrl, resource, who);

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    handbook = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
    finance = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'finance', name: 'Finance' })).json.connectorUrl;
    await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: ANA.email, name: 'Ana', password: ANA.password, groups: ['board'] });
    await t.api('POST', '/v1/tenants/acme/workspaces/finance/users', { email: BOB.email, name: 'Bob', password: BOB.password });
    await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/laptops', { title: 'Laptop policy', text: 'Request a laptop through the IT portal.' });
    await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/minutes', { title: 'Board minutes', text: 'Laptop budget approved.', acl: { groups: ['board'] } });
    await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/ana-only', { title: 'Personal laptop note', text: 'Laptop for Ana.', acl: { users: [ANA.email] } });
  });
  afterAll(async () => t?.close());

  it('publishes RFC 8414 metadata that MCP clients need', async () => {
    const metadata = (await (await fetch(`${t.baseUrl}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.issuer, t.baseUrl);
    expect(metadata.code_challenge_methods_supported).toStrictEqual(['S256']);
    assert.equal(metadata.client_id_metadata_document_supported, true);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.ok((metadata.scopes_supported as string[]).includes('offline_access'));
    assert.ok(String(metadata.registration_endpoint).endsWith('/oauth/register'));
    const oidc = (await (await fetch(`${t.baseUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(oidc.issuer, t.baseUrl);
    const jwks = (await (await fetch(String(metadata.jwks_uri))).json()) as { keys: Array<Record<string, unknown>> };
    assert.ok(jwks.keys.length >= 1);
    assert.ok(jwks.keys.every((k) => k.d === undefined), 'no private key material in the JWKS');
  });

  it('lets the SDK client discover, register, authorize with PKCE and resource, and call the tools as the user', async () => {
    const oauth = new InMemoryOAuthProvider(REDIRECT);
    const first = new StreamableHTTPClientTransport(new URL(handbook), { authProvider: oauth });
    await assert.rejects(new Client({ name: 'sdk', version: '1' }).connect(first), UnauthorizedError);
    const authorizationUrl = oauth.authorizationUrl!;
    assert.equal(authorizationUrl.searchParams.get('resource'), handbook);
    assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');

    const step = await new TestBrowser().authorize(authorizationUrl.href, REDIRECT, ANA);
    assert.equal(step.final.searchParams.get('iss'), t.baseUrl, 'RFC 9207 iss in the authorization response');
    await first.finishAuth(step.final.searchParams.get('code')!);
    assert.ok(oauth.savedTokens?.refresh_token, 'a refresh token is issued');

    const client = new Client({ name: 'sdk', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(handbook), { authProvider: oauth }));
    const ids = toolJson(await client.callTool({ name: 'search', arguments: { query: 'laptop' } })).results.map((r: { id: string }) => r.id);
    assert.deepEqual(new Set(ids), new Set(['laptops', 'minutes', 'ana-only']), 'groups and email from the IdP flow into ACL checks');
    await client.close();
  });

  it('refuses a missing or unknown resource with invalid_target', async () => {
    const client = await register();
    const { challenge } = pkce();
    const missing = await new TestBrowser().navigate(authorizeUrl(String(client.body.client_id), challenge, undefined), REDIRECT);
    assert.equal(missing.final.searchParams.get('error'), 'invalid_target');
    const unknown = await new TestBrowser().navigate(authorizeUrl(String(client.body.client_id), challenge, `${t.baseUrl}/mcp/acme/nope`), REDIRECT);
    assert.equal(unknown.final.searchParams.get('error'), 'invalid_target');
  });

  it('binds the token to its workspace: a finance token is refused at the handbook, and vice versa', async () => {
    const { exchanged } = await codeFlow(finance, BOB);
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    const atFinance = await mcpRequest(finance, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${exchanged.body.access_token}` });
    assert.equal(atFinance.status, 200);
    const atHandbook = await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${exchanged.body.access_token}` });
    assert.equal(atHandbook.status, 401);
    assert.match(atHandbook.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  it('refuses to sign in a user who is not a member of the workspace', async () => {
    const client = await register();
    const { challenge } = pkce();
    const step = await new TestBrowser().authorize(authorizeUrl(String(client.body.client_id), challenge, handbook), REDIRECT, BOB);
    assert.equal(step.status, 401);
    assert.match(step.page ?? '', /incorrect, or this account has no access/);
  });

  it('refuses a wrong PKCE verifier and a reused code with invalid_grant, and revokes on code reuse', async () => {
    const client = await register();
    const clientId = String(client.body.client_id);
    const { verifier, challenge } = pkce();
    const step = await new TestBrowser().authorize(authorizeUrl(clientId, challenge, handbook), REDIRECT, ANA);
    const code = step.final.searchParams.get('code')!;
    const wrong = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: pkce().verifier });
    assert.equal(wrong.body.error, 'invalid_grant');

    const flow = await codeFlow(handbook);
    assert.equal(flow.exchanged.status, 200);
    const reuse = await token({ grant_type: 'authorization_code', code: flow.code, redirect_uri: REDIRECT, client_id: flow.clientId, code_verifier: flow.verifier });
    assert.equal(reuse.body.error, 'invalid_grant');
    const afterReuse = await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${flow.exchanged.body.access_token}` });
    assert.equal(afterReuse.status, 401, 'tokens from a reused code are revoked');
    void verifier;
  });

  it('rotates refresh tokens and revokes the whole family when an old one is reused', async () => {
    const { clientId, exchanged } = await codeFlow(handbook);
    const first = exchanged.body.refresh_token!;
    const rotated = await token({ grant_type: 'refresh_token', refresh_token: first, client_id: clientId });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.notEqual(rotated.body.refresh_token, first);
    const ok = await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${rotated.body.access_token}` });
    assert.equal(ok.status, 200);

    const reuse = await token({ grant_type: 'refresh_token', refresh_token: first, client_id: clientId });
    assert.equal(reuse.body.error, 'invalid_grant');
    const newest = await token({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token!, client_id: clientId });
    assert.equal(newest.body.error, 'invalid_grant', 'the rotated token died with its family');
    const revoked = await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${rotated.body.access_token}` });
    assert.equal(revoked.status, 401, 'access tokens of the revoked grant stop working');
  });

  it('refuses redirect URIs off the policy at registration and unregistered ones at authorization', async () => {
    const offPolicy = await register(['https://evil.example/callback']);
    assert.equal(offPolicy.status, 400);
    assert.equal(offPolicy.body.error, 'invalid_redirect_uri');
    const chatgpt = await register(['https://chatgpt.com/connector_platform_oauth_redirect']);
    assert.equal(chatgpt.status, 201);

    const client = await register();
    const { challenge } = pkce();
    const url = authorizeUrl(String(client.body.client_id), challenge, handbook, { redirect_uri: 'http://127.0.0.1:7777/other' });
    const step = await new TestBrowser().navigate(url, 'http://127.0.0.1:7777/other');
    assert.equal(step.status, 400, 'an unregistered redirect_uri gets an error page, never a redirect');
    assert.match(step.page ?? '', /redirect_uri/);
  });

  it('refuses forged tokens: unknown signing key, alg none, expired, wrong audience', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'x', client_id: 'c', scope: 'search fetch', gid: 'g', aud: handbook, iss: t.baseUrl };
    const unknownKey = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'attacker' }).setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, iat: now, exp: now + 600 })).toString('base64url')}.`;
    for (const forged of [unknownKey, none]) {
      const response = await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${forged}` });
      assert.equal(response.status, 401);
    }
    void exportJWK;
  });

  it('serves revocation (RFC 7009) and introspection (RFC 7662)', async () => {
    const { clientId, exchanged } = await codeFlow(handbook);
    const introspect = async (tokenValue: string) => {
      const response = await fetch(`${t.baseUrl}/oauth/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: tokenValue, client_id: clientId }).toString() });
      return (await response.json()) as Record<string, unknown>;
    };
    const active = await introspect(exchanged.body.refresh_token!);
    assert.equal(active.active, true);
    const revoke = await fetch(`${t.baseUrl}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: exchanged.body.refresh_token!, client_id: clientId }).toString() });
    assert.equal(revoke.status, 200);
    assert.equal((await introspect(exchanged.body.refresh_token!)).active, false);
  });

  it('asks for consent once per user and client, and honours a denial', async () => {
    const client = await register();
    const clientId = String(client.body.client_id);
    const browser = new TestBrowser();
    const denied = await browser.authorize(authorizeUrl(clientId, pkce().challenge, handbook), REDIRECT, ANA, 'deny');
    assert.equal(denied.final.searchParams.get('error'), 'access_denied');
    const allowed = await browser.authorize(authorizeUrl(clientId, pkce().challenge, handbook), REDIRECT, ANA, 'allow');
    assert.ok(allowed.final.searchParams.get('code'));
    const again = await browser.navigate(authorizeUrl(clientId, pkce().challenge, handbook), REDIRECT);
    assert.ok(again.final.searchParams.get('code'), 'remembered consent: straight back with a code');
  });

  it('applies the workspace client policy: a workspace can refuse dynamically registered clients', async () => {
    const bad = await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { redirectUris: ['https://*.evil.example/cb'] } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /clientPolicy\.redirectUris/);
    const off = await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowDynamicRegistration: false } });
    assert.equal(off.status, 200);
    assert.equal(off.json.settings.clientPolicy.allowDynamicRegistration, false);
    try {
      const client = await register();
      const step = await new TestBrowser().navigate(authorizeUrl(String(client.body.client_id), pkce().challenge, handbook), REDIRECT);
      assert.equal(step.final.searchParams.get('error'), 'unauthorized_client');
    } finally {
      await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowDynamicRegistration: true } });
    }
  });

  it('ends access tokens already issued once the workspace forbids their kind of client, also when another process changes the policy', async () => {
    const { exchanged } = await codeFlow(handbook); // a dynamically registered client
    const ping = async () => (await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${exchanged.body.access_token}` })).status;
    assert.equal(await ping(), 200);
    try {
      assert.equal((await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowDynamicRegistration: false } })).status, 200);
      assert.equal(await ping(), 401, 'refused on the next call, not when the token expires');
      assert.equal((await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowDynamicRegistration: true } })).status, 200);
      assert.equal(await ping(), 200, 'allowed again: the token itself was never revoked');

      // Another replica (here: another connection) changes the policy; the change is announced at commit.
      const other = new PgClient({ connectionString: t.databaseUrl });
      await other.connect();
      try {
        await other.query(`UPDATE workspaces SET settings = jsonb_set(settings, '{clientPolicy}', '{"allowDynamicRegistration": false}') WHERE slug = 'handbook'`);
      } finally {
        await other.end();
      }
      const deadline = Date.now() + 10_000;
      while ((await ping()) !== 401) assert.ok(Date.now() < deadline, 'refused once the announcement arrives');
    } finally {
      await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowDynamicRegistration: true } });
    }
  });

  it('serves pre-registered clients for their own workspace only, and reserves their marker', async () => {
    const created = await t.api('POST', '/v1/tenants/acme/workspaces/finance/oauth-clients', { clientName: 'Finance bot', redirectUris: [REDIRECT] });
    assert.equal(created.status, 201, created.text);
    const clientId = created.json.clientId as string;
    const { verifier, challenge } = pkce();
    const step = await new TestBrowser().authorize(authorizeUrl(clientId, challenge, finance), REDIRECT, BOB);
    const code = step.final.searchParams.get('code');
    assert.ok(code, step.page?.slice(0, 200));
    const exchanged = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
    assert.equal(exchanged.status, 200);
    const elsewhere = await new TestBrowser().navigate(authorizeUrl(clientId, pkce().challenge, handbook), REDIRECT);
    assert.equal(elsewhere.final.searchParams.get('error'), 'unauthorized_client');

    const squat = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['https://evil.example/cb'], token_endpoint_auth_method: 'none', software_id: `tessera:preregistered:${created.json.clientId}` }),
    });
    assert.equal(squat.status, 400);
    assert.equal(((await squat.json()) as { error: string }).error, 'invalid_client_metadata');
  });

  it('lists and revokes a user\'s consents through the tenant API; revoked tokens stop working', async () => {
    const { clientId, exchanged } = await codeFlow(handbook);
    const list = await t.api('GET', `/v1/tenants/acme/workspaces/handbook/users/${encodeURIComponent(ANA.email)}/consents`);
    assert.equal(list.status, 200);
    const consent = (list.json.consents as Array<{ grantId: string; clientId: string; clientName: string; scopes: string[]; grantedAt: string }>).find((c) => c.clientId === clientId);
    assert.ok(consent);
    expect(consent.scopes.sort()).toStrictEqual(['fetch', 'search']);
    assert.equal(consent.clientName, 'Raw client', 'the name the client registered');
    assert.ok(Math.abs(Date.parse(consent.grantedAt) - Date.now()) < 10 * 60_000, `granted just now: ${consent.grantedAt}`);
    const before = await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${exchanged.body.access_token}` });
    assert.equal(before.status, 200);
    const revoked = await t.api('DELETE', `/v1/tenants/acme/workspaces/handbook/users/${encodeURIComponent(ANA.email)}/consents/${consent.grantId}`);
    assert.equal(revoked.status, 204);
    const after = await mcpRequest(handbook, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${exchanged.body.access_token}` });
    assert.equal(after.status, 401);
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token!, client_id: clientId });
    assert.equal(refresh.body.error, 'invalid_grant');
  });
});
