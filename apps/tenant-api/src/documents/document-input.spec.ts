import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { validateDocumentInput, type Validated } from './document-input';
import { normalizeOptionalFields } from '@tessera/domain';

const valid = { id: 'doc-1', title: 'Title', text: 'Body' };

function problem(raw: unknown, pathId?: string): string {
  const result: Validated<unknown> = validateDocumentInput(raw, pathId);
  assert.equal(result.ok, false, `expected a rejection for ${JSON.stringify(raw)?.slice(0, 200)}`);
  return (result as { message: string }).message;
}

function nested(levels: number, leaf: unknown = 1): Record<string, unknown> {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) value = { k: value };
  return value as Record<string, unknown>;
}

describe('validateDocumentInput', () => {
  it('accepts a minimal text document and fills the defaults', () => {
    expect(validateDocumentInput(valid)).toStrictEqual({
      ok: true,
      value: { id: 'doc-1', title: 'Title', text: 'Body', html: undefined, url: null, metadata: {}, acl: { users: [], groups: [] }, ...normalizeOptionalFields({}) },
    });
  });

  it('accepts html without a title, and takes the id from the path', () => {
    const result = validateDocumentInput({ html: '<h1>Hi</h1>' }, 'from-path');
    assert.equal(result.ok, true);
    assert.equal((result as { value: { id: string; html?: string } }).value.id, 'from-path');
  });

  it('rejects a body that is not a JSON object', () => {
    for (const raw of [null, undefined, 'text', 42, true, [], [valid]]) {
      assert.equal(problem(raw), 'document must be a JSON object', JSON.stringify(raw));
    }
  });

  it('names an unknown field', () => {
    assert.match(problem({ ...valid, owner: 'x' }), /^owner: unknown field/);
    assert.match(problem({ ...valid, __proto__x: 1 }), /^__proto__x: unknown field/);
  });

  it('rejects ids with path traversal, slashes, spaces, unicode, a leading dot or more than 128 characters', () => {
    for (const id of ['../etc/passwd', '..', 'a/b', 'a\\b', 'a b', 'café', 'ид', '.hidden', '-x', '', 'x'.repeat(129), 'a\u0000b', 'a%2Fb']) {
      assert.match(problem({ ...valid, id }), /^id: must be/, JSON.stringify(id));
      assert.match(problem({ title: 'T', text: 'B' }, id), /^id: must be/, `path ${JSON.stringify(id)}`);
    }
    assert.equal(validateDocumentInput({ ...valid, id: 'x'.repeat(128) }).ok, true);
    assert.equal(validateDocumentInput({ ...valid, id: 'A1._:@-z' }).ok, true);
  });

  it('rejects a non-string id and a missing id', () => {
    assert.match(problem({ ...valid, id: 5 }), /^id: must be/);
    assert.match(problem({ title: 'T', text: 'B' }), /^id: must be/);
  });

  it('rejects a body id that disagrees with the path id', () => {
    assert.equal(problem({ ...valid, id: 'other' }, 'doc-1'), 'id: does not match the id in the URL');
    assert.equal(validateDocumentInput({ ...valid, id: 'doc-1' }, 'doc-1').ok, true);
  });

  it('requires exactly one of text and html, each a string', () => {
    assert.equal(problem({ id: 'a', title: 'T' }), 'text: exactly one of text and html is required');
    assert.equal(problem({ id: 'a', title: 'T', text: 'x', html: '<p>x</p>' }), 'text: exactly one of text and html is required');
    assert.equal(problem({ id: 'a', title: 'T', text: 5 }), 'text: must be a string');
    assert.equal(problem({ id: 'a', html: ['<p>'] }), 'html: must be a string');
    assert.equal(problem({ id: 'a', title: 'T', text: null }), 'text: must be a string');
  });

  it('requires a title with text, and a title must be a short string', () => {
    assert.equal(problem({ id: 'a', text: 'x' }), 'title: is required with text');
    assert.match(problem({ ...valid, title: 7 }), /^title: must be a string/);
    assert.match(problem({ ...valid, title: null }), /^title: must be a string/);
    assert.match(problem({ ...valid, title: 'x'.repeat(1001) }), /^title: must be a string of at most 1000/);
    assert.equal(validateDocumentInput({ ...valid, title: 'x'.repeat(1000) }).ok, true);
  });

  it('limits text and html to 5 MB of UTF-8', () => {
    assert.match(problem({ ...valid, text: 'é'.repeat(2.5 * 1024 * 1024 + 1) }), /^text: must be at most 5 MB/);
    assert.match(problem({ id: 'a', html: 'x'.repeat(5 * 1024 * 1024 + 1) }), /^html: must be at most 5 MB/);
    assert.equal(validateDocumentInput({ ...valid, text: 'x'.repeat(5 * 1024 * 1024) }).ok, true);
  });

  it('accepts only http(s) URLs of at most 2048 characters, or null', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>', 'file:///etc/passwd', 'ftp://x.example/', 'vbscript:x', '//evil.example/x', 'not a url', 42, {}, `https://x.example/${'a'.repeat(2048)}`]) {
      assert.match(problem({ ...valid, url }), /^url: must be an http\(s\) URL/, JSON.stringify(url).slice(0, 60));
    }
    for (const url of ['https://kb.example/a?b=c#d', 'http://kb.example', 'HTTPS://KB.EXAMPLE/x']) {
      assert.equal(validateDocumentInput({ ...valid, url }).ok, true, url);
    }
    assert.equal((validateDocumentInput({ ...valid, url: null }) as { value: { url: unknown } }).value.url, null);
  });

  it('refuses URLs with control, bidi or zero-width characters, naming the field', () => {
    // The URL parser would silently drop the tab and newline; bidi overrides make a link read as another one.
    for (const url of [
      'https://kb.example/\u202Egnp.exe',
      'https://kb\u200B.example/x',
      'https://kb.example/a\u2066b',
      'https://kb.example/\u061C',
      'https://kb.example/\uFEFFx',
      'https://kb.example/a\tb',
      'https://kb.\nexample/',
      'https://kb.example/\u0085',
      'https://kb.example/\u00ADx',
    ]) {
      assert.equal(problem({ ...valid, url }), 'url: must be an http(s) URL without control, bidi or zero-width characters', JSON.stringify(url));
    }
    assert.match(problem({ ...valid, url: 'https://kb.example/a b' }), /^url: must be an http\(s\) URL without white space/);
    assert.equal(validateDocumentInput({ ...valid, url: 'https://kb.example/caf%C3%A9?q=1' }).ok, true);
  });

  it('requires metadata to be an object of at most 16 KB and 4 levels', () => {
    for (const metadata of [[], 'x', 5, null, true]) assert.equal(problem({ ...valid, metadata }), 'metadata: must be a JSON object');
    assert.match(problem({ ...valid, metadata: { big: 'x'.repeat(16 * 1024) } }), /^metadata: must be at most 16 KB/);
    assert.equal(validateDocumentInput({ ...valid, metadata: nested(4) }).ok, true);
    assert.equal(problem({ ...valid, metadata: nested(5) }), 'metadata: must nest at most 4 levels');
    assert.equal(problem({ ...valid, metadata: { a: [[[[1]]]] } }), 'metadata: must nest at most 4 levels');
    assert.equal(validateDocumentInput({ ...valid, metadata: { a: [[[1]]] } }).ok, true);
  });

  it('rejects absurdly deep metadata with a message instead of throwing (stack overflow)', () => {
    const deep = JSON.parse(`${'{"k":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
    let result: Validated<unknown> | undefined;
    assert.doesNotThrow(() => (result = validateDocumentInput({ ...valid, metadata: deep })));
    assert.equal(result?.ok, false);
    assert.match((result as { message: string }).message, /^metadata: /);
  });

  it('requires acl to be an object of users and groups, each a list of non-empty strings', () => {
    assert.equal(problem({ ...valid, acl: [] }), 'acl: must be an object with users and/or groups');
    assert.equal(problem({ ...valid, acl: 'everyone' }), 'acl: must be an object with users and/or groups');
    assert.equal(problem({ ...valid, acl: { roles: ['x'] } }), 'acl.roles: unknown field (allowed: users, groups)');
    for (const users of ['ana', [1], [null], [''], ['  '], [{ id: 'ana' }], ['x'.repeat(321)], null]) {
      assert.equal(problem({ ...valid, acl: { users } }), 'acl.users: must be an array of non-empty strings', JSON.stringify(users).slice(0, 40));
    }
    assert.equal(problem({ ...valid, acl: { groups: [true] } }), 'acl.groups: must be an array of non-empty strings');
    assert.equal(problem({ ...valid, acl: { groups: Array.from({ length: 1001 }, (_, i) => `g${i}`) } }), 'acl.groups: at most 1000 entries');
    const ok = validateDocumentInput({ ...valid, acl: { users: ['ana@acme.example'] } });
    expect((ok as { value: { acl: unknown } }).value.acl).toStrictEqual({ users: ['ana@acme.example'], groups: [] });
    expect((validateDocumentInput({ ...valid, acl: null }) as { value: { acl: unknown } }).value.acl).toStrictEqual({ users: [], groups: [] });
  });
});
