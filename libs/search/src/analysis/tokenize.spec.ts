import { describe, expect, it } from '@jest/globals';
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
    expect(tokenize('Hello, World! Full-text search.')).toStrictEqual(['hello', 'world', 'full', 'text', 'search']);
  });

  it('splits at apostrophes', () => {
    expect(tokenize("don't stop John's car")).toStrictEqual(['don', 't', 'stop', 'john', 's', 'car']);
  });

  it('keeps accented words whole, with their accents', () => {
    expect(tokenize('Café naïve résumé Straße')).toStrictEqual(['café', 'naïve', 'résumé', 'straße']);
  });

  it('tokenizes Cyrillic and Greek words', () => {
    expect(tokenize('Москва — столица России')).toStrictEqual(['москва', 'столица', 'россии']);
    expect(tokenize('Η ανάκτηση πληροφοριών')).toStrictEqual(['η', 'ανάκτηση', 'πληροφοριών']);
  });

  it('keeps numbers and letter-digit codes', () => {
    expect(tokenize('In 2026 we shipped v2 of ISO 9001')).toStrictEqual(['in', '2026', 'we', 'shipped', 'v2', 'of', 'iso', '9001']);
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
    expect(tokenize('iPhone用')).toStrictEqual(['iphone', '用']);
  });

  it('drops a long base64 run and keeps the words around it', () => {
    const blob = base64Fixture(150);
    assert.equal(blob.length, 200);
    assert.match(blob, /[+/]/, 'the fixture must contain the characters that split words');
    expect(tokenize(`before ${blob} after`)).toStrictEqual(['before', 'after']);
  });

  it('drops base64url and long hex digests', () => {
    const base64url = base64Fixture(120).replace(/\+/g, '-').replace(/\//g, '_');
    const hexDigest = 'a3f5'.repeat(32);
    expect(tokenize(`x ${base64url} y ${hexDigest} z`)).toStrictEqual(['x', 'y', 'z']);
  });

  it('keeps the words of long URLs and hyphenated phrases', () => {
    const url = 'https://example.com/docs/guides/getting-started/installation-on-linux/advanced-configuration';
    expect(tokenize(url)).toStrictEqual([
      'https', 'example', 'com', 'docs', 'guides', 'getting', 'started',
      'installation', 'on', 'linux', 'advanced', 'configuration',
    ]);
  });

  it(`drops tokens longer than ${MAX_TOKEN_LENGTH} characters`, () => {
    const longest = 'a'.repeat(MAX_TOKEN_LENGTH);
    expect(tokenize(`${longest} ${longest}a ok`)).toStrictEqual([longest, 'ok']);
  });

  it('stays linear on a long chain of hyphenated pieces', () => {
    const tokens = tokenize('ab-'.repeat(200_000));
    assert.equal(tokens.length, 200_000);
  }, 10_000);

  it('returns nothing for text without letters or digits', () => {
    expect(tokenize(' -- ... !!! ')).toStrictEqual([]);
    expect(tokenize('')).toStrictEqual([]);
  });
});
