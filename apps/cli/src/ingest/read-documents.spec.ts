import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UsageError } from '../usage-error';
import { discoverFiles } from './discover-files';

describe('discoverFiles', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tessera-discover-'));
    await mkdir(path.join(root, 'docs/sub'), { recursive: true });
    await mkdir(path.join(root, 'docs/.git'), { recursive: true });
    await mkdir(path.join(root, 'docs/node_modules/pkg'), { recursive: true });
    for (const file of ['docs/b.md', 'docs/a.TXT', 'docs/sub/c.html', 'docs/sub/d.ndjson', 'docs/logo.png', 'docs/.env.md', 'docs/.git/x.md', 'docs/node_modules/pkg/readme.md']) {
      await writeFile(path.join(root, file), 'x');
    }
    await symlink(path.join(root, 'docs/sub'), path.join(root, 'docs/loop'));
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('walks directories in sorted order, skipping dotfiles, node_modules and linked directories', async () => {
    const discovery = await discoverFiles([path.join(root, 'docs')]);
    expect(discovery.files.map((file) => [file.relativePath, file.kind])).toStrictEqual([
        ['a.TXT', 'text'],
        ['b.md', 'markdown'],
        ['sub/c.html', 'html'],
        ['sub/d.ndjson', 'jsonl'],
      ]);
    expect(discovery.skipped.map((entry) => [path.basename(entry.displayPath), entry.reason])).toStrictEqual([
        ['logo.png', 'unsupported file type'],
        ['loop', 'symbolic link to a directory (not followed)'],
      ]);
  });

  it('accepts single files (relative to their folder) and never lists a file twice', async () => {
    const discovery = await discoverFiles([path.join(root, 'docs/sub/c.html'), path.join(root, 'docs/sub')]);
    expect(discovery.files.map((file) => file.relativePath)).toStrictEqual(['c.html', 'd.ndjson']);
  });

  it('rejects a missing path as a usage error', async () => {
    await assert.rejects(discoverFiles([path.join(root, 'nope')]), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /path not found: .*nope/);
      return true;
    });
  });
});
