/**
 * Attacks on the authorization server's policy, tried as an attacker would, on real PostgreSQL: a
 * repeated `resource` (authorization, PAR, token endpoint), refresh tokens of a client the workspace has
 * since forbidden, a session of one tenant's user reaching another tenant's consent page, and a rotating
 * X-Forwarded-For against the per-address limits.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { authorizeUrl as buildAuthorizeUrl, codeFlow, pkce, registerClient, TEST_REDIRECT } from '../support/oauth-flow';
import { TestBrowser } from '../support/oauth-browser';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };
const GIL = { email: 'gil@globex.example', password: 'globex password long enough' };

describe('OAuth policy attacks (PostgreSQL)', () => {
  let t: TestPlatform;
  let handbook: string;
  let locked: string;
  let wiki: string;

  const authorizeUrl = (clientId: string, challenge: string, resource: string | undefined, extra: Record<string, string> = {}) =>
    buildAuthorizeUrl(t.baseUrl, clientId, challenge, resource, extra);
  const token = (form: Record<string, string> | URLSearchParams) =>
    fetch(`${t.baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() })
      .then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, string> }));
  const setDynamicRegistration = (workspace: string, allowed: boolean) =>
    t.api('PATCH', `/v1/tenants/acme/workspaces/${workspace}`, { clientPolicy: { allowDynamicRegistration: allowed } });

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    handbook = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
    locked = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'locked', name: 'Locked' })).json.connectorUrl;
    await setDynamicRegistration('locked', false);
    await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: ANA.email, name: 'Ana', password: ANA.password });
    await t.api('POST', '/v1/tenants/acme/workspaces/locked/users', { email: ANA.email, name: 'Ana', password: ANA.password });
    await t.api('POST', '/v1/tenants', { slug: 'globex', name: 'Globex' });
    wiki = (await t.api('POST', '/v1/tenants/globex/workspaces', { slug: 'wiki', name: 'Wiki' })).json.connectorUrl;
    await t.api('POST', '/v1/tenants/globex/workspaces/wiki/users', { email: GIL.email, name: 'Gil', password: GIL.password });
  });
  afterAll(async () => t?.close());

  it('refuses a repeated resource at the authorization endpoint with invalid_target, so a forbidding workspace cannot be slipped in', async () => {
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    for (const resources of [[handbook, locked], [locked, handbook], [handbook, handbook], [locked, locked]]) {
      const url = new URL(authorizeUrl(clientId, pkce().challenge, undefined));
      for (const resource of resources) url.searchParams.append('resource', resource);
      const step = await new TestBrowser().authorize(url.href, TEST_REDIRECT, ANA);
      assert.equal(step.final.searchParams.get('error'), 'invalid_target', `${resources.join(' + ')}: ${step.final.href} ${step.page?.slice(0, 200) ?? ''}`);
      assert.equal(step.final.searchParams.get('code'), null);
      assert.equal(step.final.searchParams.get('iss'), t.baseUrl);
    }
    const alone = await new TestBrowser().authorize(authorizeUrl(clientId, pkce().challenge, locked), TEST_REDIRECT, ANA);
    assert.equal(alone.final.searchParams.get('error'), 'unauthorized_client', 'the locked workspace alone refuses the registered client');
  });

  it('refuses registrations whose redirect_uris or software_id are not text, without a 500', async () => {
    for (const metadata of [
      { redirect_uris: TEST_REDIRECT }, { redirect_uris: [1] }, { redirect_uris: [[TEST_REDIRECT]] }, { redirect_uris: [{ uri: TEST_REDIRECT }] },
      { redirect_uris: [TEST_REDIRECT], software_id: ['tessera:preregistered:x'] }, { redirect_uris: [TEST_REDIRECT], software_id: { id: 1 } },
      { redirect_uris: [TEST_REDIRECT], software_version: 7 },
    ]) {
      const response = await fetch(`${t.baseUrl}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token_endpoint_auth_method: 'none', ...metadata }) });
      assert.equal(response.status, 400, JSON.stringify(metadata));
      assert.match(((await response.json()) as { error: string }).error, /^invalid_(client_metadata|redirect_uri)$/, JSON.stringify(metadata));
    }
  });

  it('refuses a repeated resource in a pushed authorization request (PAR) with invalid_target', async () => {
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const par = (resources: string[]) => {
      const body = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: TEST_REDIRECT, scope: 'search', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
      for (const resource of resources) body.append('resource', resource);
      return fetch(`${t.baseUrl}/oauth/par`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    };
    const one = await par([handbook]);
    assert.equal(one.status, 201, await one.clone().text());
    for (const resources of [[handbook, locked], [handbook, handbook]]) {
      const refused = await par(resources);
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { error: string }).error, 'invalid_target');
    }
    const forbidden = await par([locked]);
    assert.equal(forbidden.status, 400);
    assert.equal(((await forbidden.json()) as { error: string }).error, 'unauthorized_client', 'PAR applies the workspace policy too');
  });

  it('refuses a repeated resource at the token endpoint (code and refresh grants)', async () => {
    const client = await registerClient(t.baseUrl);
    const clientId = String(client.body.client_id);
    const { verifier, challenge } = pkce();
    const step = await new TestBrowser().authorize(authorizeUrl(clientId, challenge, handbook), TEST_REDIRECT, ANA);
    const code = step.final.searchParams.get('code')!;
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT, client_id: clientId, code_verifier: verifier });
    form.append('resource', handbook);
    form.append('resource', handbook);
    const twice = await token(form);
    assert.equal(twice.status, 400);
    assert.equal(twice.body.error, 'invalid_target');

    const flow = await codeFlow(t.baseUrl, handbook, ANA);
    const refresh = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: flow.exchanged.body.refresh_token!, client_id: flow.clientId });
    refresh.append('resource', handbook);
    refresh.append('resource', locked);
    const refreshed = await token(refresh);
    assert.equal(refreshed.status, 400);
    assert.equal(refreshed.body.error, 'invalid_target');
  });

  it('enforces the workspace client policy at the token endpoint: a forbidden client loses its refresh tokens and cannot redeem codes', async () => {
    const { clientId, exchanged } = await codeFlow(t.baseUrl, handbook, ANA);
    assert.equal(exchanged.status, 200);
    const second = await codeFlow(t.baseUrl, handbook, ANA);
    const pending = await (async () => {
      const c = String((await registerClient(t.baseUrl)).body.client_id);
      const { verifier, challenge } = pkce();
      const step = await new TestBrowser().authorize(authorizeUrl(c, challenge, handbook), TEST_REDIRECT, ANA);
      return { clientId: c, verifier, code: step.final.searchParams.get('code')! };
    })();
    assert.ok(pending.code);
    assert.equal((await setDynamicRegistration('handbook', false)).status, 200);
    try {
      const refused = await token({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token!, client_id: clientId });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error, 'unauthorized_client');
      assert.equal(refused.body.access_token, undefined);
      const redeemed = await token({ grant_type: 'authorization_code', code: pending.code, redirect_uri: TEST_REDIRECT, client_id: pending.clientId, code_verifier: pending.verifier });
      assert.equal(redeemed.status, 400);
      assert.equal(redeemed.body.error, 'unauthorized_client');
      const other = await token({ grant_type: 'refresh_token', refresh_token: second.exchanged.body.refresh_token!, client_id: second.clientId });
      assert.equal(other.body.error, 'unauthorized_client');
    } finally {
      await setDynamicRegistration('handbook', true);
    }
    const afterwards = await token({ grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token!, client_id: clientId });
    assert.equal(afterwards.body.error, 'invalid_grant', 'a refresh token refused under the policy stays dead when the policy is lifted');
  });

  it("never shows another tenant's consent page to a signed-in user who is not a member: access_denied, nothing recorded there", async () => {
    const browser = new TestBrowser();
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const own = await browser.authorize(authorizeUrl(clientId, pkce().challenge, handbook), TEST_REDIRECT, ANA);
    assert.ok(own.final.searchParams.get('code'), 'Ana signs in to her own workspace');
    const before = await t.api('GET', '/v1/tenants/globex/audit?action=oauth');
    assert.equal(before.status, 200, before.text);

    const foreign = await browser.navigate(authorizeUrl(clientId, pkce().challenge, wiki), TEST_REDIRECT);
    assert.equal(foreign.page, undefined, `no page, a redirect to the client: ${foreign.page?.slice(0, 300)}`);
    assert.equal(foreign.final.searchParams.get('error'), 'access_denied');
    assert.equal(foreign.final.searchParams.get('iss'), t.baseUrl);
    assert.equal(foreign.final.searchParams.get('code'), null);
    const audit = await t.api('GET', '/v1/tenants/globex/audit?action=oauth');
    assert.deepEqual(audit.json.events, before.json.events, 'no consent (or any OAuth) event in the other tenant');

    // Another workspace of Ana's own tenant that she is not a member of: the same.
    const board = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'board', name: 'Board' })).json.connectorUrl as string;
    const sameTenant = await browser.navigate(authorizeUrl(clientId, pkce().challenge, board), TEST_REDIRECT);
    assert.equal(sameTenant.final.searchParams.get('error'), 'access_denied');
  });
});

describe('client addresses behind (and without) a proxy', () => {
  const platforms: TestPlatform[] = [];
  afterAll(async () => {
    for (const t of platforms) await t.close();
  });
  const register = (t: TestPlatform, forwardedFor?: string) =>
    fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      body: JSON.stringify({ redirect_uris: [TEST_REDIRECT], token_endpoint_auth_method: 'none' }),
    }).then((response) => response.status);

  it('ignores X-Forwarded-For by default: a rotating header does not multiply the registration limit', async () => {
    const t = await startTestPlatform('postgres', { AUTH_REGISTRATION_RATE_PER_MINUTE: '3' });
    platforms.push(t);
    const statuses = [];
    for (let i = 1; i <= 6; i++) statuses.push(await register(t, `203.0.113.${i}`));
    expect(statuses).toStrictEqual([201, 201, 201, 429, 429, 429]);
    // Nor do spellings of the path that the router still routes to the registration endpoint.
    for (const path of ['/oauth/register/', '/oauth/Register', '/oauth/REGISTER/']) {
      const response = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [TEST_REDIRECT], token_endpoint_auth_method: 'none' }) });
      assert.equal(response.status, 429, path);
    }
  });

  it('with TRUST_PROXY naming the proxy (loopback here), limits apply per forwarded client address', async () => {
    const t = await startTestPlatform('postgres', { AUTH_REGISTRATION_RATE_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1/8, ::1' });
    platforms.push(t);
    expect([await register(t, '203.0.113.1'), await register(t, '203.0.113.1'), await register(t, '203.0.113.1')]).toStrictEqual([201, 201, 429]);
    assert.equal(await register(t, '203.0.113.2'), 201, 'another client behind the proxy has its own budget');
    // A client cannot prepend addresses of its own: the nearest untrusted hop counts.
    assert.equal(await register(t, '198.51.100.9, 203.0.113.1'), 429);
  });

  it("honours X-Forwarded-Proto and -Host only from a trusted proxy (the authorization server's own URLs)", async () => {
    const forged = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };
    const tokenEndpoint = async (t: TestPlatform) =>
      ((await (await fetch(`${t.baseUrl}/.well-known/oauth-authorization-server`, { headers: forged })).json()) as { token_endpoint: string }).token_endpoint;
    const direct = await startTestPlatform('postgres');
    platforms.push(direct);
    assert.equal(await tokenEndpoint(direct), `${direct.baseUrl}/oauth/token`, 'a client cannot rewrite the metadata it is served');
    const behindProxy = await startTestPlatform('postgres', { TRUST_PROXY: 'loopback' });
    platforms.push(behindProxy);
    assert.equal(await tokenEndpoint(behindProxy), 'https://evil.example/oauth/token', 'the trusted proxy (loopback here) says how the client connected');
  });

  it('serves sign-in behind a TLS-terminating proxy that TRUST_PROXY names (Secure cookies over the forwarded https)', async () => {
    const t = await startTestPlatform('postgres', { PUBLIC_URL: 'https://tessera.example', TRUST_PROXY: 'loopback' });
    platforms.push(t);
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    const connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).json.connectorUrl as string;
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const response = await fetch(buildAuthorizeUrl(t.baseUrl, clientId, pkce().challenge, connector), { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location') ?? '', /^\/oauth\/interaction\//);
    assert.match(response.headers.getSetCookie().join('\n'), /__Secure-tessera_interaction=.*; secure/i);
  });

  it('answers a clear error naming TRUST_PROXY, not a 500, when sign-in arrives over http for an https PUBLIC_URL (a TLS-terminating proxy it does not trust)', async () => {
    const t = await startTestPlatform('postgres', { PUBLIC_URL: 'https://tessera.example' });
    platforms.push(t);
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    const connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).json.connectorUrl as string;
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const url = buildAuthorizeUrl(t.baseUrl, clientId, pkce().challenge, connector);
    const page = await fetch(url, { redirect: 'manual', headers: { 'x-forwarded-proto': 'https', accept: 'text/html' } });
    assert.equal(page.status, 400);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /TRUST_PROXY/);
    assert.match(html, /hop count or addresses/);
    assert.equal(page.headers.getSetCookie().length, 0, 'no cookie is set over plain http');
    const json = await fetch(url, { redirect: 'manual', headers: { accept: 'application/json' } });
    assert.equal(json.status, 400);
    const body = (await json.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'invalid_request');
    assert.match(body.error_description, /TRUST_PROXY/);
    // The machine endpoints, which set no cookie, keep working (their clients are not at fault either).
    assert.equal((await fetch(`${t.baseUrl}/.well-known/oauth-authorization-server`)).status, 200);
  });

  it('throttles sign-in per address whatever X-Forwarded-For says, and a success on one account does not clear it', async () => {
    const t = await startTestPlatform('postgres');
    platforms.push(t);
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    const connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).json.connectorUrl as string;
    await t.api('POST', '/v1/tenants/acme/workspaces/kb/users', { email: ANA.email, name: 'Ana', password: ANA.password });
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const attempt = async (email: string, password: string, forwardedFor: string) => {
      const browser = new TestBrowser();
      const login = await browser.navigate(buildAuthorizeUrl(t.baseUrl, clientId, pkce().challenge, connector), TEST_REDIRECT);
      const form = /<form[^>]*action="([^"]+)"[\s\S]*?name="csrf" value="([^"]+)"/.exec(login.page ?? '');
      assert.ok(form, 'a sign-in form');
      const response = await fetch(new URL(form[1]!.replace(/&amp;/g, '&'), login.final), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor, cookie: browser.cookiesFor(login.final) },
        body: new URLSearchParams({ csrf: form[2]!, email, password }).toString(),
      });
      return response.status;
    };
    const statuses = [];
    for (let i = 1; i <= 4; i++) statuses.push(await attempt(`victim${i}@acme.example`, 'guess', `198.51.100.${i}`));
    expect(statuses).toStrictEqual([401, 401, 401, 401]);
    const success = await attempt(ANA.email, ANA.password, '198.51.100.50');
    assert.ok(success >= 300 && success < 400, `the attacker signs in to an account of their own (${success})`);
    assert.equal(await attempt('victim5@acme.example', 'guess', '198.51.100.5'), 401);
    assert.equal(await attempt('victim6@acme.example', 'guess', '198.51.100.6'), 429, 'the address is throttled after five failures, success or not');
  });
});
