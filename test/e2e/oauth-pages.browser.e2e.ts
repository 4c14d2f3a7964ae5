/**
 * The sign-in and consent pages in a real browser (headless Chromium): what an end user sees when
 * ChatGPT sends them to Tessera, and that the flow ends back at the client with a code.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const REDIRECT = 'http://127.0.0.1:7777/callback';
const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };

describe('sign-in and consent pages in headless Chromium', () => {
  let t: TestPlatform;
  let browser: Browser;
  let connector: string;
  let clientId: string;

  const authorizeUrl = () =>
    `${t.baseUrl}/oauth/authorize?${new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'search fetch offline_access', state: 'st4te',
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'), code_challenge_method: 'S256', resource: connector,
    })}`;

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme Corp' });
    connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Employee Handbook' })).json.connectorUrl;
    await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: ANA.email, name: 'Ana', password: ANA.password });
    const registration = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'ChatGPT <test>', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
    });
    clientId = ((await registration.json()) as { client_id: string }).client_id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, shows who asks for what, and returns to the client with a code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let callback: URL | undefined;
    await page.route('http://127.0.0.1:7777/**', (route) => {
      callback = new URL(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>connected</p>' });
    });
    const notFound: string[] = [];
    page.on('response', (response) => { if (response.status() === 404) notFound.push(response.url()); });
    await page.goto(authorizeUrl());
    assert.match(await page.title(), /Sign in to Employee Handbook/);
    assert.match((await page.locator('link[rel="icon"]').getAttribute('href')) ?? '', /^data:image\/svg\+xml,/, 'an inline icon: the browser asks for no /favicon.ico');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in to Employee Handbook');
    expect(notFound).toStrictEqual([]);
    assert.match((await page.locator('main').textContent()) ?? '', /Acme Corp · requested by ChatGPT <test>/, 'client names are shown escaped, as text');

    await page.getByLabel('Email').fill(ANA.email);
    await page.getByLabel('Password').fill('wrong password!!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Email or password is incorrect/);
    assert.equal(await page.getByLabel('Email').inputValue(), ANA.email, 'the email is kept after a failure');

    await page.getByLabel('Password').fill(ANA.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    const consent = (await page.locator('main').textContent()) ?? '';
    assert.match(consent, /Allow ChatGPT <test> to access Employee Handbook\?/);
    assert.match(consent, /signed in as ana@acme\.example/);
    assert.match(consent, /Search the documents of this workspace that you can read/);
    assert.match(consent, /sent back to 127\.0\.0\.1:7777/);
    mkdirSync('bench-results', { recursive: true });
    await page.screenshot({ path: 'bench-results/consent-page.png' });

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/127\.0\.0\.1:7777\/callback/);
    assert.ok(callback?.searchParams.get('code'), 'an authorization code');
    assert.equal(callback?.searchParams.get('state'), 'st4te');
    assert.equal(callback?.searchParams.get('iss'), t.baseUrl);

    const cookies = await context.cookies(t.baseUrl);
    const session = cookies.find((c) => c.name.startsWith('tessera_session'));
    assert.ok(session, `session cookie set: ${cookies.map((c) => c.name)}`);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    await context.close();
  });

  it('refuses a forged form post without the CSRF token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizeUrl());
    const action = await page.locator('form').getAttribute('action');
    const response = await page.request.post(new URL(action!, t.baseUrl).href, { form: { email: ANA.email, password: ANA.password } });
    assert.equal(response.status(), 403);
    await context.close();
  });
});
