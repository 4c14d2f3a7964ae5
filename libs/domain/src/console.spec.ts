import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { clientDisplayName } from './console';

describe('clientDisplayName', () => {
  it('prefers the registered name, trimmed', () => {
    assert.equal(clientDisplayName('tsc_abc', '  Finance bot '), 'Finance bot');
  });

  it('shows a metadata document client (ChatGPT) by its host', () => {
    assert.equal(clientDisplayName('https://chatgpt.com/oauth/abc/client.json', undefined), 'chatgpt.com');
  });

  it('names nothing for an unnamed client id that is not an http(s) URL, or a name that is not text', () => {
    assert.equal(clientDisplayName('tsc_abc', ''), undefined);
    assert.equal(clientDisplayName('tsc_abc', 42), undefined);
    assert.equal(clientDisplayName('javascript:alert(1)', undefined), undefined);
    assert.equal(clientDisplayName('urn:x:y', undefined), undefined);
  });
});
