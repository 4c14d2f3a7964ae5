/**
 * Console sign-in through the tenant's own IdP (a real OpenID Connect provider on loopback, standing in for
 * Okta or Entra ID), in headless Chromium: an admin gets in; an IdP user who is not the tenant's admin, or
 * not a user of the tenant at all, does not (the console provisions nobody). "Test sign-in" on the IdP page runs
 * the same round trip and reports the claims or the precise failure (wrong secret, discovery), signing nobody in.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { FEDERATION_CALLBACK_PATH } from '@tessera/domain';
import { launchChromium } from '../support/chromium';
import { assertAccessible, ensureConsoleBuilt, screenshot } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/test-idp';

describe('console sign-in through the tenant IdP in headless Chromium', () => {
  let t: TestPlatform;
  let idp: TestIdentityProvider;
  let browser: Browser;

  /** Console → Tessera's sign-in page → "Continue with Acme SSO" → the IdP's own pages, as `email`. */
  async function signInWithIdp(email: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel(/Organization/).fill('acme');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /Continue with Acme SSO/ }).click();
    await throughIdp(page, email);
    return page;
  }

  /** The IdP's own pages: its login (unless it remembers the browser), then its consent if it asks. */
  async function throughIdp(page: Page, email: string): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    const login = page.locator('input[name="login"]');
    const consent = page.locator('button[type="submit"]', { hasText: 'Continue' });
    const left = () => page.waitForURL((url) => !url.href.startsWith(idp.issuer), { timeout: 3_000 }).then(() => true, () => false);
    if (!(await left()) && (await login.count()) > 0) {
      await login.fill(email);
      await page.locator('input[name="password"]').fill('anything');
      await page.locator('button[type="submit"]').click();
    }
    if (!(await left())) await consent.click();
    await page.waitForURL((url) => !url.href.startsWith(idp.issuer));
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestPlatform('postgres', { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: 'true' });
    idp = await startTestIdentityProvider({ clientId: 'tessera', clientSecret: 'idp-client-secret', redirectUri: `${t.baseUrl}${FEDERATION_CALLBACK_PATH}` }, {});
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme Corp' });
    await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' });
    for (const email of ['ana@acme.example', 'eve@acme.example']) {
      await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email, name: email });
    }
    await t.api('PUT', '/v1/tenants/acme/admins/ana@acme.example');
    assert.equal((await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer: idp.issuer, clientId: 'tessera', clientSecret: 'idp-client-secret', displayName: 'Acme SSO' })).status, 200);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  it('signs the tenant admin in through the IdP', async () => {
    const page = await signInWithIdp('ana@acme.example');
    await page.getByRole('heading', { name: 'Workspaces', level: 1 }).waitFor();
    assert.match((await page.locator('header').textContent()) ?? '', /ana@acme\.example/);
    await screenshot(page, 'federated-sign-in');
    await page.context().close();
  });

  it('refuses an IdP user who is a member but not an admin', async () => {
    const page = await signInWithIdp('eve@acme.example');
    await page.getByRole('alert').waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /not an admin/);
    assert.equal((await page.context().cookies()).some((c) => c.name === 'tessera_console'), false);
    await page.context().close();
  });

  it('provisions nobody: an IdP user unknown to the tenant gets no account and no session', async () => {
    const page = await signInWithIdp('mallory@acme.example');
    assert.match((await page.locator('body').textContent()) ?? '', /not an admin of this organization/);
    assert.equal((await t.api('GET', '/v1/tenants/acme/workspaces/handbook/users')).json.users.some((u: { email: string }) => u.email === 'mallory@acme.example'), false);
    await page.context().close();
  });

  describe('Test sign-in on the identity provider page', () => {
    let page: Page;
    const secret = 'idp-client-secret';
    const configure = async (issuer: string, clientSecret: string) =>
      assert.equal((await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer, clientId: 'tessera', clientSecret, displayName: 'Acme SSO', groupsClaim: 'groups' })).status, 200);
    /** Clicks Test sign-in and follows the round trip (through the IdP's pages when it shows them) back to the console. */
    async function runTest(email = 'ana@acme.example'): Promise<void> {
      const previous = new URL(page.url()).searchParams.get('test');
      const back = (url: URL) => url.pathname === '/console/identity-provider' && url.searchParams.has('test') && url.searchParams.get('test') !== previous;
      await page.getByRole('button', { name: /^Test sign-in/ }).click();
      await page.waitForURL((url) => url.href.startsWith(idp.issuer) || back(url));
      if (page.url().startsWith(idp.issuer)) await throughIdp(page, email);
      await page.waitForURL(back);
    }

    beforeAll(async () => {
      page = await signInWithIdp('ana@acme.example');
      await page.getByRole('link', { name: 'Identity provider' }).click();
      await page.getByRole('heading', { name: 'Test sign-in' }).waitFor();
    });
    afterAll(async () => {
      await configure(idp.issuer, secret);
      await page?.context().close();
    });

    it('goes to the IdP and back, and shows the claims that would map to the user, signing nobody in', async () => {
      const sessionBefore = (await page.context().cookies()).find((c) => c.name.endsWith('tessera_console'))?.value;
      await runTest();
      await page.getByTestId('idp-test-email').waitFor();
      assert.equal(await page.getByTestId('idp-test-email').textContent(), 'ana@acme.example');
      assert.match(await page.getByRole('status').filter({ hasText: 'Sign-in works' }).textContent() ?? '', /User ana@acme\.example.*Already a user hereyes/);
      assert.equal((await page.context().cookies()).find((c) => c.name.endsWith('tessera_console'))?.value, sessionBefore, 'the console session is the same one');
      assert.match(await page.locator('header').textContent() ?? '', /ana@acme\.example/);
      const audit = await t.api('GET', '/v1/tenants/acme/audit?action=identity_provider');
      assert.ok(audit.json.events.some((e: { action: string; outcome: string }) => e.action === 'identity_provider.test' && e.outcome === 'success'), JSON.stringify(audit.json).slice(0, 300));
      await assertAccessible(page, 'identity provider page with a test result');
      await screenshot(page, 'identity-provider-test');
    });

    it('uses each test once, and shows another tenant\'s ticket to nobody', async () => {
      const id = new URL(page.url()).searchParams.get('test')!;
      const again = await fetch(`${t.baseUrl}/oauth/federation/test/${id}`, { redirect: 'manual' });
      assert.equal(again.status, 400);
      assert.match(await again.text(), /expired or was already used/);
      await t.api('POST', '/v1/tenants', { slug: 'globex', name: 'Globex' });
      assert.equal((await t.api('GET', `/v1/tenants/globex/identity-provider/test-sign-ins/${id}`)).status, 404);
      assert.equal((await t.api('GET', '/v1/tenants/acme/identity-provider/test-sign-ins/not-a-ticket')).status, 404);
    });

    it('refuses to start a test without the session\'s CSRF token', async () => {
      const forged = await page.request.post(`${t.baseUrl}/v1/tenants/acme/identity-provider/test-sign-ins`, { headers: { origin: t.baseUrl } });
      assert.equal(forged.status(), 403);
      const foreign = await page.request.post(`${t.baseUrl}/v1/tenants/acme/identity-provider/test-sign-ins`, { headers: { origin: 'https://evil.example' } });
      assert.equal(foreign.status(), 403);
    });

    it('reports a wrong client secret as such, and never shows the secret', async () => {
      await configure(idp.issuer, 'not-the-secret-9f3a');
      await runTest();
      const failure = page.getByTestId('idp-test-failure');
      await failure.waitFor();
      assert.equal(await failure.getAttribute('data-code'), 'client_authentication_failed');
      assert.match(await failure.textContent() ?? '', /Wrong client ID or client secret/);
      assert.doesNotMatch(await page.content(), /not-the-secret-9f3a|idp-client-secret/);
      await assertAccessible(page, 'identity provider page with a failed test');
    });

    it('reports an IdP that refuses the redirect URI, which would otherwise show its own error page', async () => {
      const elsewhere = await startTestIdentityProvider({ clientId: 'tessera', clientSecret: secret, redirectUri: 'https://elsewhere.example/callback' }, {});
      try {
        await configure(elsewhere.issuer, secret);
        await runTest();
        const failure = page.getByTestId('idp-test-failure');
        await failure.waitFor();
        assert.equal(await failure.getAttribute('data-code'), 'redirect_refused');
        assert.match(await failure.textContent() ?? '', new RegExp(`Redirect refused.*HTTP 400.*${t.baseUrl}${FEDERATION_CALLBACK_PATH}`));
      } finally {
        await elsewhere.close();
      }
    });

    it('reports a discovery failure without leaving Tessera', async () => {
      const closed = await new Promise<number>((resolve) => {
        const server = createServer();
        server.listen(0, '127.0.0.1', () => {
          const { port } = server.address() as AddressInfo;
          server.close(() => resolve(port));
        });
      });
      await configure(`http://127.0.0.1:${closed}`, secret);
      await runTest();
      const failure = page.getByTestId('idp-test-failure');
      await failure.waitFor();
      assert.equal(await failure.getAttribute('data-code'), 'discovery_failed');
      assert.match(await failure.textContent() ?? '', /Discovery failed.*\.well-known\/openid-configuration/);
    });
  });
});
