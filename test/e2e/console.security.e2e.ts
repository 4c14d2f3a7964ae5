/**
 * The admin console's security rules, tried the way an attacker would: another tenant's admin, a request
 * from another origin, a member who is not an admin, a stolen cookie after the admin role is gone, and
 * the response headers that keep the SPA's code its own (CSP, caching, cookie flags).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { ensureConsoleBuilt, signIn } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { ScimClient } from '../support/scim-client';

const PASSWORD = 'correct horse battery staple';

describe('admin console security', () => {
  let t: TestPlatform;
  let browser: Browser;
  let ana: { cookie: string; csrf: string };

  /** Signs in through the real pages and returns the session cookie and CSRF token the SPA would hold. */
  async function session(tenant: string, email: string): Promise<{ cookie: string; csrf: string }> {
    const { context, page } = await signIn(browser, t.baseUrl, tenant, email, PASSWORD);
    await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor();
    const value = (await context.cookies()).find((c) => c.name === 'tessera_console')!.value;
    await context.close();
    const cookie = `tessera_console=${value}`;
    const csrf = ((await (await fetch(`${t.baseUrl}/console/session`, { headers: { cookie } })).json()) as { csrfToken: string }).csrfToken;
    return { cookie, csrf };
  }

  const createWorkspace = (who: { cookie: string }, headers: Record<string, string>, slug = 'notes') =>
    fetch(`${t.baseUrl}/v1/tenants/acme/workspaces`, {
      method: 'POST',
      headers: { cookie: who.cookie, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ slug, name: 'Notes' }),
    });

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestPlatform('postgres');
    for (const [tenant, admin, member] of [['acme', 'ana@acme.example', 'carl@acme.example'], ['globex', 'bob@globex.example', undefined]] as const) {
      await t.api('POST', '/v1/tenants', { slug: tenant, name: tenant });
      await t.api('POST', `/v1/tenants/${tenant}/workspaces`, { slug: 'handbook', name: 'Handbook' });
      for (const email of [admin, member].filter(Boolean)) {
        await t.api('POST', `/v1/tenants/${tenant}/workspaces/handbook/users`, { email, name: email, password: PASSWORD });
      }
      await t.api('PUT', `/v1/tenants/${tenant}/admins/${admin}`);
    }
    browser = await launchChromium();
    ana = await session('acme', 'ana@acme.example');
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, for the whole origin', async () => {
    const { context, page } = await signIn(browser, t.baseUrl, 'acme', 'ana@acme.example', PASSWORD);
    await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'tessera_console')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
    assert.equal(await page.evaluate('document.cookie'), '', 'nothing readable by scripts');
    assert.equal(await page.evaluate('JSON.stringify(localStorage) + JSON.stringify(sessionStorage)'), '{}{}', 'no tokens in web storage');
    await context.close();
  });

  it('serves the SPA with a strict CSP, no inline scripts, index.html uncached and hashed assets cached for a year', async () => {
    for (const path of ['/console/', '/console/workspaces/handbook']) {
      const response = await fetch(t.baseUrl + path);
      assert.equal(response.status, 200);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      const html = await response.text();
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
      const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)![1]!;
      const js = await fetch(t.baseUrl + asset);
      assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
    }
    for (const traversal of ['/console/assets/..%2f..%2fopenapi.json', '/console/assets/%2e%2e/%2e%2e/openapi.json', '/console/assets/missing.js']) {
      const response = await fetch(t.baseUrl + traversal);
      assert.equal(response.status, 404, traversal);
      assert.doesNotMatch(await response.text(), /"openapi"/, 'nothing outside the build is served');
    }
  });

  it('lets the session act as its tenant under the same rules, and nothing more', async () => {
    assert.equal((await fetch(`${t.baseUrl}/v1/tenants/acme/workspaces`, { headers: { cookie: ana.cookie } })).status, 200);
    const tenant = await fetch(`${t.baseUrl}/v1/tenants`, {
      method: 'POST', headers: { cookie: ana.cookie, origin: t.baseUrl, 'x-csrf-token': ana.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'mine', name: 'Mine' }),
    });
    assert.equal(tenant.status, 403, 'only the platform admin creates tenants');
    // What the admin does is audited under their name, in the workspace's.
    const renamed = await fetch(`${t.baseUrl}/v1/tenants/acme/workspaces/handbook`, {
      method: 'PATCH', headers: { cookie: ana.cookie, origin: t.baseUrl, 'x-csrf-token': ana.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Handbook' }),
    });
    assert.equal(renamed.status, 200);
    const [event] = (await t.api('GET', '/v1/tenants/acme/audit?action=workspace.update&limit=1')).json.events;
    assert.match(event.actorId, /^tenant-admin:[0-9a-f-]{36}$/);
    assert.equal(event.actorName, 'ana@acme.example');
    assert.equal(event.workspace, 'handbook');
    const [byPlatform] = (await t.api('GET', '/v1/tenants/acme/audit?action=workspace.create&limit=1')).json.events;
    assert.equal(byPlatform.actorName, null, 'the platform admin is no user of the tenant');
    assert.equal(byPlatform.workspace, 'handbook');
  });

  it("answers another tenant's admin with 404s, as if nothing existed", async () => {
    const bob = await session('globex', 'bob@globex.example');
    for (const path of ['/v1/tenants/acme', '/v1/tenants/acme/workspaces', '/v1/tenants/acme/workspaces/handbook', '/v1/tenants/acme/admins', '/v1/tenants/acme/audit']) {
      const response = await fetch(t.baseUrl + path, { headers: { cookie: bob.cookie } });
      assert.equal(response.status, 404, path);
    }
    const put = await fetch(`${t.baseUrl}/v1/tenants/acme/admins/bob@globex.example`, { method: 'PUT', headers: { cookie: bob.cookie, origin: t.baseUrl, 'x-csrf-token': bob.csrf } });
    assert.equal(put.status, 404, 'cannot make itself an admin of another tenant');
    assert.equal((await fetch(`${t.baseUrl}/v1/tenants/globex/workspaces`, { headers: { cookie: bob.cookie } })).status, 200);
  });

  it('refuses state changes from another origin or without the CSRF token', async () => {
    assert.equal((await createWorkspace(ana, { origin: 'http://evil.example', 'x-csrf-token': ana.csrf })).status, 403, 'foreign Origin');
    assert.equal((await createWorkspace(ana, { origin: t.baseUrl })).status, 403, 'no CSRF token');
    assert.equal((await createWorkspace(ana, { origin: t.baseUrl, 'x-csrf-token': 'x'.repeat(43) })).status, 403, 'wrong CSRF token');
    assert.equal((await createWorkspace(ana, { 'x-csrf-token': ana.csrf })).status, 403, 'no Origin');
    assert.equal((await t.api('GET', '/v1/tenants/acme/workspaces/notes')).status, 404, 'nothing was created');
    assert.equal((await fetch(`${t.baseUrl}/console/logout`, { method: 'POST', headers: { cookie: ana.cookie, origin: 'http://evil.example' } })).status, 403, 'sign-out too');
    assert.equal((await createWorkspace(ana, { origin: t.baseUrl, 'x-csrf-token': ana.csrf })).status, 201, 'the console itself may');
  });

  it('refuses a page on another origin that posts a form at the API', async () => {
    const { context, page } = await signIn(browser, t.baseUrl, 'acme', 'ana@acme.example', PASSWORD);
    await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor();
    const attacker = t.baseUrl.replace('127.0.0.1', 'localhost');
    await page.route(`${attacker}/attack`, (route) => route.fulfill({
      contentType: 'text/html',
      body: `<form id="f" method="post" action="${t.baseUrl}/v1/tenants/acme/workspaces" enctype="text/plain"><input name='{"slug":"pwned","name":"x","y":"' value='"}'></form>`,
    }));
    await page.goto(`${attacker}/attack`);
    const answer = page.waitForResponse(`${t.baseUrl}/v1/tenants/acme/workspaces`);
    await page.evaluate("document.getElementById('f').submit()");
    assert.ok([401, 403].includes((await answer).status()));
    assert.equal((await t.api('GET', '/v1/tenants/acme/workspaces/pwned')).status, 404);
    await context.close();
  });

  it('refuses a member who is not an admin at the sign-in page', async () => {
    const { context, page } = await signIn(browser, t.baseUrl, 'acme', 'carl@acme.example', PASSWORD);
    await page.getByRole('alert').waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /no access/);
    assert.equal((await context.cookies()).some((c) => c.name === 'tessera_console'), false);
    await context.close();
  });

  it("ends an admin's sessions the moment the admin role is removed", async () => {
    const dana = { email: 'dana@acme.example' };
    await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: dana.email, name: 'Dana', password: PASSWORD });
    assert.equal((await t.api('PUT', `/v1/tenants/acme/admins/${dana.email.toUpperCase()}`)).status, 201, 'emails are normalized');
    assert.equal((await t.api('PUT', `/v1/tenants/acme/admins/${dana.email}`)).status, 204, 'already an admin');
    const s = await session('acme', dana.email);
    assert.equal((await fetch(`${t.baseUrl}/v1/tenants/acme/workspaces`, { headers: { cookie: s.cookie } })).status, 200);
    const list = await t.api('GET', '/v1/tenants/acme/admins');
    expect(list.json.admins.map((a: { email: string }) => a.email)).toStrictEqual(['ana@acme.example', dana.email]);
    const removed = await fetch(`${t.baseUrl}/v1/tenants/acme/admins/${dana.email}`, { method: 'DELETE', headers: { cookie: ana.cookie, origin: t.baseUrl, 'x-csrf-token': ana.csrf } });
    assert.equal(removed.status, 204, 'an existing admin manages admins');
    assert.equal((await fetch(`${t.baseUrl}/v1/tenants/acme/workspaces`, { headers: { cookie: s.cookie } })).status, 401);
    assert.equal((await t.api('DELETE', `/v1/tenants/acme/admins/${dana.email}`)).status, 404);
    assert.equal((await t.api('PUT', '/v1/tenants/acme/admins/not-an-email')).status, 400);
  });

  it('ends the console sessions of an admin the directory deactivates, and refuses their next sign-in', async () => {
    const erin = 'erin@acme.example';
    await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: erin, name: 'Erin', password: PASSWORD });
    assert.equal((await t.api('PUT', `/v1/tenants/acme/admins/${erin}`)).status, 201);
    const s = await session('acme', erin);
    const workspaces = () => fetch(`${t.baseUrl}/v1/tenants/acme/workspaces`, { headers: { cookie: s.cookie } });
    assert.equal((await workspaces()).status, 200);
    const issued = (await t.api('POST', '/v1/tenants/acme/scim-tokens', { label: 'IdP' })).json;
    const scim = new ScimClient(issued.scimUrl, issued.token);
    const id = (await scim.findUserByUserName(erin)).json.Resources[0].id;
    assert.equal((await scim.oktaDeactivate(id)).status, 200);
    // Active again before the cookie is used: the session was ended by the deactivation itself, not at its next use.
    const reactivated = await scim.request('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: true } }] });
    assert.equal(reactivated.status, 200);
    assert.equal((await workspaces()).status, 401);
    // Deactivated: the sign-in page refuses them, with a password as through an IdP.
    assert.equal((await scim.oktaDeactivate(id)).status, 200);
    const { context, page } = await signIn(browser, t.baseUrl, 'acme', erin, PASSWORD);
    await page.getByRole('alert').waitFor();
    assert.equal((await context.cookies()).some((c) => c.name === 'tessera_console'), false);
    await context.close();
  });

  it('validates the sign-in start and callback', async () => {
    // A bad or unknown organization goes back to the sign-in form with a fixed code; raw input is never echoed.
    const malformed = await fetch(`${t.baseUrl}/console/login?tenant=${encodeURIComponent('<b>North wind!</b>')}`, { redirect: 'manual' });
    assert.equal(malformed.status, 303);
    assert.equal(malformed.headers.get('location'), '/console/?tenantError=invalid');
    assert.equal((await fetch(`${t.baseUrl}/console/login`, { redirect: 'manual' })).headers.get('location'), '/console/?tenantError=invalid');
    const unknown = await fetch(`${t.baseUrl}/console/login?tenant=nobody`, { redirect: 'manual' });
    assert.equal(unknown.status, 303);
    assert.equal(unknown.headers.get('location'), '/console/?tenantError=unknown&tenant=nobody');
    assert.equal(unknown.headers.get('set-cookie'), null, 'no sign-in attempt is started for an unknown organization');
    const started = await fetch(`${t.baseUrl}/console/login?tenant=acme`, { redirect: 'manual' });
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
    const forged = await fetch(`${t.baseUrl}/console/callback?code=abc&state=${state}`, { redirect: 'manual' });
    assert.equal(forged.headers.get('location'), '/console/?error=not_this_browser', 'a callback without the browser binding is refused, with a code');
    assert.equal((await fetch(`${t.baseUrl}/console/session`)).status, 401);
  });

  it('keeps the console resource for the console client only', async () => {
    const registration = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:7777/cb'], token_endpoint_auth_method: 'none' }),
    });
    const clientId = ((await registration.json()) as { client_id: string }).client_id;
    const authorize = await fetch(`${t.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: 'http://127.0.0.1:7777/cb', scope: 'openid', code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256', resource: `${t.baseUrl}/v1/tenants/acme`,
    })}`, { redirect: 'manual' });
    assert.match(authorize.headers.get('location') ?? '', /error=invalid_target/);
  });

  it('types the SPA against the OpenAPI document the tenant API serves (regenerate with npm run console:openapi)', async () => {
    const served = await (await fetch(`${t.baseUrl}/docs/openapi.json`)).json();
    const committed = JSON.parse(readFileSync(join(__dirname, '../../apps/console/openapi.json'), 'utf8'));
    expect(committed).toStrictEqual(served);
  });
});
