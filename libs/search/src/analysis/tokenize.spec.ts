import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TOKEN_LENGTH, tokenize } from './tokenize';

// Deterministic pseudo-random bytes, so the base64 fixture never changes.
function base64Fixture(byteCount: number): string {
  const bytes = Buffer.alloc(byteCount);
  for (let index = 0; index < byteCount; index++) bytes[index] = (index * 73 + 11) % 256;
  return bytes.toString('base64');
}

describe('tokenize', () => {
  it('lowercases and splits at punctuation and whitespace', () => {
    assert.deepEqual(tokenize('Hello, World! Full-text search.'), ['hello', 'world', 'full', 'text', 'search']);
  });

  it('splits at apostrophes', () => {
    assert.deepEqual(tokenize("don't stop John's car"), ['don', 't', 'stop', 'john', 's', 'car']);
  });

  it('keeps accented words whole, with their accents', () => {
    assert.deepEqual(tokenize('Café naïve résumé Straße'), ['café', 'naïve', 'résumé', 'straße']);
  });

  it('tokenizes Cyrillic and Greek words', () => {
    assert.deepEqual(tokenize('Москва — столица России'), ['москва', 'столица', 'россии']);
    assert.deepEqual(tokenize('Η ανάκτηση πληροφοριών'), ['η', 'ανάκτηση', 'πληροφοριών']);
  });

  it('keeps numbers and letter-digit codes', () => {
    assert.deepEqual(tokenize('In 2026 we shipped v2 of ISO 9001'), ['in', '2026', 'we', 'shipped', 'v2', 'of', 'iso', '9001']);
  });

  it('splits Japanese into several words', () => {
    const tokens = tokenize('東京都に住んでいます');
    assert.ok(tokens.length >= 3, JSON.stringify(tokens));
    assert.ok(tokens.includes('東京'), JSON.stringify(tokens));
  });

  it('splits Chinese into several words', () => {
    const tokens = tokenize('我们正在研究信息检索系统');
    assert.ok(tokens.length >= 4, JSON.stringify(tokens));
    assert.ok(tokens.includes('信息'), JSON.stringify(tokens));
  });

  it('segments Thai, which has no spaces between words', () => {
    const sentence = 'ภาษาไทยเป็นภาษาที่ยาก';
    const tokens = tokenize(sentence);
    assert.ok(tokens.length >= 4, JSON.stringify(tokens));
    assert.equal(tokens.join(''), sentence);
  });

  it('handles Latin words glued to Han characters', () => {
    assert.deepEqual(tokenize('iPhone用'), ['iphone', '用']);
  });

  it('drops a long base64 run and keeps the words around it', () => {
    const blob = base64Fixture(150);
    assert.equal(blob.length, 200);
    assert.match(blob, /[+/]/, 'the fixture must contain the characters that split words');
    assert.deepEqual(tokenize(`before ${blob} after`), ['before', 'after']);
  });

  it('drops base64url and long hex digests', () => {
    const base64url = base64Fixture(120).replace(/\+/g, '-').replace(/\//g, '_');
    const hexDigest = 'a3f5'.repeat(32);
    assert.deepEqual(tokenize(`x ${base64url} y ${hexDigest} z`), ['x', 'y', 'z']);
  });

  it('keeps the words of long URLs and hyphenated phrases', () => {
    const url = 'https://example.com/docs/guides/getting-started/installation-on-linux/advanced-configuration';
    assert.deepEqual(tokenize(url), [
      'https', 'example', 'com', 'docs', 'guides', 'getting', 'started',
      'installation', 'on', 'linux', 'advanced', 'configuration',
    ]);
  });

  it(`drops tokens longer than ${MAX_TOKEN_LENGTH} characters`, () => {
    const longest = 'a'.repeat(MAX_TOKEN_LENGTH);
    assert.deepEqual(tokenize(`${longest} ${longest}a ok`), [longest, 'ok']);
  });

  it('stays linear on a long chain of hyphenated pieces', { timeout: 10_000 }, () => {
    const tokens = tokenize('ab-'.repeat(200_000));
    assert.equal(tokens.length, 200_000);
  });

  it('returns nothing for text without letters or digits', () => {
    assert.deepEqual(tokenize(' -- ... !!! '), []);
    assert.deepEqual(tokenize(''), []);
  });
});
