import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { buildPlainDocument, idFromRelativePath, isValidFileDocumentId, joinUrl, MAX_DOCUMENT_ID_LENGTH } from './plain-document';

describe('idFromRelativePath', () => {
  it('lowercases, turns separators and spaces into dashes and drops the extension', () => {
    assert.equal(idFromRelativePath('Guides/Getting Started.md'), 'guides-getting-started');
    assert.equal(idFromRelativePath('a/b/c.txt'), 'a-b-c');
  });

  it('collapses runs of invalid characters and trims the ends', () => {
    assert.equal(idFromRelativePath('  __Notes (draft)!!/--x--.md'), 'notes-draft-x');
  });

  it('keeps dots and underscores inside names but drops only the last extension', () => {
    assert.equal(idFromRelativePath('release_notes/v1.2.0.md'), 'release_notes-v1.2.0');
    assert.equal(idFromRelativePath('README'), 'readme');
  });

  it('does not treat a dot in a directory name as an extension', () => {
    assert.equal(idFromRelativePath('v1.5/intro'), 'v1.5-intro');
  });

  it('folds accents and returns an empty id for names with nothing usable', () => {
    assert.equal(idFromRelativePath('Café/Déjà Vu.md'), 'cafe-deja-vu');
    assert.equal(idFromRelativePath('日本語.md'), '');
  });

  it('truncates long paths to the maximum length without a trailing separator', () => {
    // 127 letters + the separator is exactly 128; the dangling "-" must go.
    const id = idFromRelativePath(`${'a'.repeat(127)}/bcdef.md`);
    assert.equal(id, 'a'.repeat(127));
    const cut = idFromRelativePath(`${'a'.repeat(126)}/bcdef.md`);
    assert.equal(cut, `${'a'.repeat(126)}-b`);
    assert.equal(cut.length, MAX_DOCUMENT_ID_LENGTH);
    assert.ok(isValidFileDocumentId(cut));
  });
});


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

