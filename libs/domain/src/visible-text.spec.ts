import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { documentUrlProblem, hasInvisibleCharacters, removeInvisibleCharacters } from './visible-text';

describe('documentUrlProblem', () => {
  it('accepts absolute http(s) URLs, percent-encoded text included', () => {
    for (const url of ['https://kb.example/a?b=c#d', 'http://kb.example', 'https://kb.example/caf%C3%A9', 'https://kb.example/%E2%80%AE']) {
      assert.equal(documentUrlProblem(url, 2048), undefined, url);
    }
  });

  it('refuses control, bidi and zero-width characters anywhere, even where the URL parser would drop them', () => {
    for (const url of ['https://kb.example/\u202Egnp.exe', 'https://kb\u200B.example/', 'https://kb.exa\nmple/', '\thttps://kb.example/', 'https://kb.example/\u{E0041}', 'https://kb.example/\u0000']) {
      assert.equal(documentUrlProblem(url, 2048), 'must be an http(s) URL without control, bidi or zero-width characters', JSON.stringify(url));
    }
  });

  it('refuses other schemes, relative and host-less URLs, white space, non-strings and overlong URLs', () => {
    for (const [value, problem] of [
      ['javascript:alert(1)', /http\(s\)/],
      ['//kb.example/x', /absolute/],
      ['https://', /absolute/],
      ['https://kb.example/a b', /white space/],
      [42, /string/],
      [`https://kb.example/${'a'.repeat(30)}`, /at most 32/],
    ] as Array<[unknown, RegExp]>) {
      assert.match(documentUrlProblem(value, 32) ?? 'accepted', problem, String(value));
    }
  });
});

describe('invisible characters', () => {
  it('finds and removes them, and nothing else', () => {
    assert.equal(hasInvisibleCharacters('plain text, ünïcode, 東京'), false);
    assert.equal(hasInvisibleCharacters('a\u2066b'), true);
    assert.equal(removeInvisibleCharacters('a\u200Bb\u{E0061}c\uFE0F'), 'abc');
  });
});
