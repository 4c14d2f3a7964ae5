import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const root = join(__dirname, '../..');
export const ARTIFACTS = join(root, '.artifacts/console');

function newestSource(dir: string): number {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    if (item.name === 'generated') continue;
    const full = join(dir, item.name);
    newest = Math.max(newest, item.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The console's static files exist (built by `npm run build`, or here when missing or older than its sources). */
export function ensureConsoleBuilt(): void {
  const index = join(root, 'apps/console/dist/index.html');
  // The console bundles libs/domain (the shared document file formats) too.
  const sources = Math.max(statSync(join(root, 'apps/console/openapi.json')).mtimeMs, newestSource(join(root, 'apps/console/src')), newestSource(join(root, 'libs/domain/src')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(join(root, 'scripts/build-console.js')).buildConsole();
}

/** Signs in to the console of `tenant` with a password, in a fresh browser context; returns the page. */
export async function signIn(browser: Browser, baseUrl: string, tenant: string, email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel(/Organization/).fill(tenant);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

/** axe-core on the page as it is: no serious or critical violations. */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page: page as never }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [], `accessibility of ${name}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
