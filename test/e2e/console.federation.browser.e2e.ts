/**
 * Console sign-in through the tenant's own IdP (a real OpenID Connect provider on loopback, standing in for
 * Okta or Entra ID), in headless Chromium: an admin gets in; an IdP user who is not the tenant's admin, or
 * not a user of the tenant at all, does not (the console provisions nobody).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { FEDERATION_CALLBACK_PATH } from '@tessera/domain';
import { launchChromium } from '../support/chromium';
import { ensureConsoleBuilt, screenshot } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/test-idp';

describe('console sign-in through the tenant IdP in headless Chromium', () => {
  let t: TestPlatform;
  let idp: TestIdentityProvider;
  let browser: Browser;

  /** Console → Tessera's sign-in page → "Continue with Acme SSO" → the IdP's own pages, as `email`. */
  async function signInWithIdp(email: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel(/Organization/).fill('acme');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /Continue with Acme SSO/ }).click();
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    const consent = page.locator('button[type="submit"]', { hasText: 'Continue' });
    if (await page.waitForURL((url) => !url.href.startsWith(idp.issuer), { timeout: 3_000 }).then(() => false, () => true)) await consent.click();
    await page.waitForURL((url) => !url.href.startsWith(idp.issuer));
    return page;
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
});
