/**
 * The console's People and access and Safety parts in headless Chromium: a member's OAuth consents listed
 * and revoked (with confirmation) so the app's tokens stop working; the client policy and query-log forms
 * with the API's validation message next to the field it names. axe-core checks each state.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { assertAccessible, ensureConsoleBuilt, screenshot, signIn } from '../support/console';
import { codeFlow } from '../support/oauth-flow';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };
const BOB = { email: 'bob@acme.example', password: 'another long passphrase' };

describe('console: consents and safety forms in headless Chromium', () => {
  let t: TestPlatform;
  let browser: Browser;
  let page: Page;
  let bobsAccessToken: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme Corp' });
    await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Employee Handbook' });
    for (const who of [ANA, BOB]) await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: who.email, name: who.email.split('@')[0], password: who.password });
    assert.equal((await t.api('PUT', `/v1/tenants/acme/admins/${ANA.email}`)).status, 201);
    // Bob connects an app (registered by DCR, as "Raw client") to the workspace.
    const { exchanged } = await codeFlow(t.baseUrl, `${t.baseUrl}/mcp/acme/handbook`, BOB);
    bobsAccessToken = exchanged.body.access_token!;
    browser = await launchChromium();
    ({ page } = await signIn(browser, t.baseUrl, 'acme', ANA.email, ANA.password));
    await page.getByRole('link', { name: 'Employee Handbook' }).click();
    await page.getByRole('heading', { name: 'Employee Handbook', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const ping = () => fetch(`${t.baseUrl}/mcp/acme/handbook`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bobsAccessToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });

  it('lists a member\'s consents with the app, its scopes and the date, and an empty state for a member without any', async () => {
    const member = page.getByLabel('Member', { exact: true });
    await member.selectOption(ANA.email);
    await page.getByText(`${ANA.email} has not allowed any app yet.`).waitFor();
    await member.selectOption(BOB.email);
    const table = page.getByRole('table', { name: `OAuth consents of ${BOB.email}` });
    await table.waitFor();
    const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
    assert.match(cells[0]!, /^Raw client/);
    expect(cells[1]!.split(', ').sort()).toStrictEqual(['fetch', 'search']);
    assert.match(await table.locator('tbody time').getAttribute('datetime') ?? '', /^\d{4}-\d\d-\d\dT/);
    await assertAccessible(page, 'workspace page with consents');
  });

  it('revokes a consent only after confirmation, and the app\'s token stops working', async () => {
    assert.equal((await ping()).status, 200);
    await page.getByRole('button', { name: 'Revoke Raw client' }).click();
    const confirm = page.getByRole('group', { name: 'Confirm revoking Raw client' });
    await confirm.waitFor();
    await assertAccessible(page, 'consent revocation confirmation');
    await screenshot(page, 'consent-revoke-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await ping()).status, 200, 'cancelled: nothing revoked');

    await page.getByRole('button', { name: 'Revoke Raw client' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByRole('status').filter({ hasText: `Revoked Raw client's access for ${BOB.email}.` }).waitFor();
    await page.getByText(`${BOB.email} has not allowed any app yet.`).waitFor();
    assert.equal((await ping()).status, 401);
    const left = await t.api('GET', `/v1/tenants/acme/workspaces/handbook/users/${BOB.email}/consents`);
    expect(left.json.consents).toStrictEqual([]);
  });

  it('edits the client policy, with the API\'s refusal of a redirect URI next to that field', async () => {
    const uris = page.getByLabel('Allowed redirect URIs (one a line)');
    await uris.fill('https://app.example/callback\nhttp://evil.example/cb');
    await page.getByRole('button', { name: 'Save client policy' }).click();
    await page.locator('#redirect-uris-error').waitFor();
    assert.match(await page.locator('#redirect-uris-error').textContent() ?? '', /https URL/);
    assert.equal(await uris.getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'client policy with an error');

    await uris.fill('https://app.example/callback\nhttps://chatgpt.com/connector/oauth/*');
    await page.getByLabel(/Dynamic Client Registration/).uncheck();
    await page.getByRole('button', { name: 'Save client policy' }).click();
    await page.getByRole('form', { name: 'Which apps may connect' }).getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await page.locator('#redirect-uris-error').count(), 0);
    const policy = (await t.api('GET', '/v1/tenants/acme/workspaces/handbook')).json.settings.clientPolicy;
    expect(policy.redirectUris).toStrictEqual(['https://app.example/callback', 'https://chatgpt.com/connector/oauth/*']);
    assert.equal(policy.allowDynamicRegistration, false);
  });

  it('edits the query log\'s retention, with the API\'s limit next to that field', async () => {
    const retention = page.getByLabel(/Remove stored queries after/);
    await retention.fill('365');
    await page.getByRole('button', { name: 'Save query log' }).click();
    await page.locator('#query-retention-error').waitFor();
    assert.match(await page.locator('#query-retention-error').textContent() ?? '', /90/);
    await retention.fill('30');
    await page.getByLabel('Keep raw search queries in the audit log').check();
    await page.getByRole('button', { name: 'Save query log' }).click();
    await page.getByRole('form', { name: 'Query log' }).getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const queryLog = (await t.api('GET', '/v1/tenants/acme/workspaces/handbook')).json.settings.queryLog;
    expect({ store: queryLog.store, retentionDays: queryLog.retentionDays }).toStrictEqual({ store: true, retentionDays: 30 });
    await assertAccessible(page, 'safety forms');
    await screenshot(page, 'safety-forms');
  });

  it('reads uploads as the CLI does: a bad NDJSON line refuses its file, naming the line, and sends nothing from it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'console-upload-'));
    await writeFile(join(dir, 'export.ndjson'), '{"id":"good","title":"Good","text":"fine"}\n{"id":"bad","title":\n');
    await writeFile(join(dir, 'faq.md'), '---\ntitle: Frequently asked\nlast_modified: 2026-01-02\n---\n# Not the title\nAnswers.\n');
    await page.getByLabel(/^Files/).setInputFiles([join(dir, 'export.ndjson'), join(dir, 'faq.md')]);
    await page.getByText('2 of 2 files').waitFor();
    const results = await page.getByRole('list', { name: 'Upload results' }).locator('li').allTextContents();
    assert.match(results.find((r) => r.includes('export.ndjson')) ?? '', /not readable: export\.ndjson:2: invalid JSON/);
    assert.match(results.find((r) => r.includes('faq.md')) ?? '', /1 created/);
    assert.equal((await t.api('GET', '/v1/tenants/acme/workspaces/handbook/documents/good')).status, 404);
    const faq = (await t.api('GET', '/v1/tenants/acme/workspaces/handbook/documents/faq')).json;
    assert.equal(faq.title, 'Frequently asked', 'the front matter title, as the CLI reads it');
    assert.doesNotMatch(faq.text, /last_modified/);
  });

  it('works in a narrow window', async () => {
    await page.setViewportSize({ width: 380, height: 800 });
    await assertAccessible(page, 'workspace page, narrow');
    await screenshot(page, 'safety-forms-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
