/**
 * `tessera ingest --sync <source>` against the real platform (PostgreSQL): the run is completed after
 * the upload and prints what it deleted; a refused completion (safety limit) abandons the run and
 * deletes nothing; --force-delete overrides the limit.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CliContext } from '../../apps/cli/src/cli-context';
import { run } from '../../apps/cli/src/main';
import { startTestPlatform, type TestPlatform } from '../support/platform';

describe('tessera ingest --sync against the running platform (PostgreSQL)', () => {
  let t: TestPlatform;
  let folder: string;
  let out: string[];
  const cli = (argv: string[]) => {
    out = [];
    const context: Partial<CliContext> = {
      env: { TESSERA_TOKEN: t.adminToken },
      io: { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) },
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      progressIntervalMs: 60_000,
    };
    return run([...argv, '--api-url', t.baseUrl], context);
  };
  const ingest = (...extra: string[]) => cli(['ingest', folder, '--tenant', 'acme', '--workspace', 'kb', '--sync', 'handbook', ...extra]);
  const exists = async (id: string) => (await t.api('GET', `/v1/tenants/acme/workspaces/kb/documents/${id}`)).status === 200;

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    folder = await mkdtemp(join(tmpdir(), 'tessera-cli-sync-'));
    for (let i = 0; i < 10; i++) await writeFile(join(folder, `page-${i}.md`), `# Page ${i}\nContent of page ${i}.\n`);
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).status, 201);
  });
  afterAll(async () => {
    await t?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('completes the run and prints what it deleted; refuses past the safety limit unless forced', async () => {
    assert.equal(await ingest(), 0, out.join(''));
    assert.match(out.join(''), /sync handbook: 10 seen, 0 deleted/);

    await unlink(join(folder, 'page-8.md'));
    await unlink(join(folder, 'page-9.md'));
    assert.equal(await ingest(), 0, out.join(''));
    assert.match(out.join(''), /sync handbook: 8 seen, 2 deleted \(page-[89], page-[89]\)/);
    expect([await exists('page-7'), await exists('page-8')]).toStrictEqual([true, false]);

    for (const i of [3, 4, 5, 6, 7]) await unlink(join(folder, `page-${i}.md`));
    assert.equal(await ingest(), 1, out.join(''));
    assert.match(out.join(''), /not completed: .*delete 5 of the 8 documents/);
    assert.match(out.join(''), /abandoned \(completion refused\); nothing deleted/);
    assert.equal(await exists('page-7'), true);

    assert.equal(await ingest('--force-delete'), 0, out.join(''));
    assert.match(out.join(''), /sync handbook: 3 seen, 5 deleted/);
    assert.equal(await exists('page-7'), false);
  });

  it('refuses --sync with --dry-run', async () => {
    assert.equal(await ingest('--dry-run'), 2, out.join(''));
    assert.match(out.join(''), /--sync deletes documents/);
  });
});
