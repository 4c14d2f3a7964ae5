import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UsageError } from '../usage-error';
import { discoverFiles } from './discover-files';
import { buildPlainDocument, joinUrl } from './read-documents';

describe('buildPlainDocument', () => {
  const modified = new Date('2024-05-01T10:00:00.000Z');

  it('strips markdown front matter from the text and takes the title from it', () => {
    const document = buildPlainDocument({
      file: { relativePath: 'guides/intro.md', kind: 'markdown' },
      content: '\ufeff---\ntitle: Intro\n---\n# Heading\nBody',
      modified,
      id: 'guides-intro',
      urlBase: 'https://kb.example.com/docs/',
      acl: { groups: ['eng'] },
    });
    expect(document).toStrictEqual({
      id: 'guides-intro',
      title: 'Intro',
      text: '# Heading\nBody',
      url: 'https://kb.example.com/docs/guides/intro.md',
      metadata: { source_path: 'guides/intro.md', modified: '2024-05-01T10:00:00.000Z' },
      acl: { groups: ['eng'] },
    });
  });

  it('sends html as html with the <title>, and text files titled by file name', () => {
    const html = buildPlainDocument({ file: { relativePath: 'p.htm', kind: 'html' }, content: '<title>T</title>', modified, id: 'p' });
    assert.equal(html.html, '<title>T</title>');
    assert.equal(html.text, undefined);
    assert.equal(html.title, 'T');
    assert.equal(html.url, undefined);
    assert.equal(html.acl, undefined);
    const text = buildPlainDocument({ file: { relativePath: 'notes/todo.txt', kind: 'text' }, content: '# not a heading in txt', modified, id: 'x' });
    assert.equal(text.title, 'todo');
  });

  it("sends the front matter's lastModified (or last_modified) as written, and none without one", () => {
    const read = (content: string) => buildPlainDocument({ file: { relativePath: 'a.md', kind: 'markdown' }, content, modified, id: 'a' });
    assert.equal(read('---\ntitle: A\nlastModified: 2026-12-07T10:00:00Z\n---\nBody').lastModified, '2026-12-07T10:00:00Z');
    assert.equal(read('---\nlast_modified: "2026-12-07"\n---\nBody').lastModified, '2026-12-07');
    assert.equal(read('---\ntitle: A\n---\nBody').lastModified, undefined);
    assert.equal(read('lastModified: 2026-12-07\nBody').lastModified, undefined, 'only in front matter');
  });

  it('percent-encodes each path segment of the url', () => {
    assert.equal(joinUrl('https://x.test/a', 'dir with space/ü#1.md'), 'https://x.test/a/dir%20with%20space/%C3%BC%231.md');
  });
});

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
