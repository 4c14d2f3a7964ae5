import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { isValidFileDocumentId, MAX_DOCUMENT_ID_LENGTH } from '@tessera/domain';
import { assignDocumentIds } from './document-id';

describe('assignDocumentIds', () => {
  const files = (...relativePaths: string[]) => relativePaths.map((relativePath) => ({ key: relativePath, relativePath }));

  it('keeps the natural id for the first file and appends a short hash on a clash', () => {
    const ids = assignDocumentIds(files('Guide.md', 'guide.txt', 'other.md'));
    assert.equal(ids.get('Guide.md'), 'guide');
    assert.match(ids.get('guide.txt') ?? '', /^guide-[0-9a-f]{8}$/);
    assert.equal(ids.get('other.md'), 'other');
  });

  it('is deterministic across runs', () => {
    const first = assignDocumentIds(files('a b.md', 'a-b.md'));
    const second = assignDocumentIds(files('a b.md', 'a-b.md'));
    expect([...first]).toStrictEqual([...second]);
  });

  it('gives files in different roots with the same relative path distinct ids', () => {
    const ids = assignDocumentIds([
      { key: '/one/intro.md', relativePath: 'intro.md' },
      { key: '/two/intro.md', relativePath: 'intro.md' },
    ]);
    assert.equal(ids.get('/one/intro.md'), 'intro');
    assert.notEqual(ids.get('/two/intro.md'), 'intro');
    assert.match(ids.get('/two/intro.md') ?? '', /^intro-[0-9a-f]{8}$/);
  });

  it('never hands a hashed id that equals another file\'s natural id', () => {
    const ids = assignDocumentIds(files('x.md', 'X.txt'));
    const clash = ids.get('X.txt') ?? '';
    const ids2 = assignDocumentIds(files('x.md', 'X.txt', `${clash}.md`));
    assert.equal(new Set(ids2.values()).size, 3);
    assert.equal(ids2.get(`${clash}.md`), clash);
  });

  it('derives a hashed id for names without any usable character', () => {
    const ids = assignDocumentIds(files('日本語.md', 'русский.md'));
    const [a, b] = [ids.get('日本語.md') ?? '', ids.get('русский.md') ?? ''];
    assert.match(a, /^doc-[0-9a-f]{8}$/);
    assert.match(b, /^doc-[0-9a-f]{8}$/);
    assert.notEqual(a, b);
  });

  it('applies the prefix and keeps long clashing ids within 128 characters', () => {
    const long = 'x'.repeat(200);
    const ids = assignDocumentIds(files(`${long}.md`, `${long}.txt`), 'kb-');
    for (const id of ids.values()) {
      assert.ok(id.startsWith('kb-'));
      assert.ok(id.length <= MAX_DOCUMENT_ID_LENGTH, `${id.length} > 128`);
      assert.ok(isValidFileDocumentId(id), id);
    }
    assert.equal(new Set(ids.values()).size, 2);
  });
});
