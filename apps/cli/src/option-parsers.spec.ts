import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { InvalidArgumentError } from 'commander';
import { documentUrlBase } from './option-parsers';

describe('--url-base', () => {
  it('takes an http(s) URL and refuses one with bidi, zero-width or control characters', () => {
    assert.equal(documentUrlBase('https://kb.example/docs/'), 'https://kb.example/docs/');
    for (const bad of ['https://kb.example/\u202E', 'https://kb\u200B.example/', 'https://kb.example/\ta', 'ftp://kb.example/', 'not a url']) {
      assert.throws(() => documentUrlBase(bad), InvalidArgumentError, JSON.stringify(bad));
    }
  });
});
