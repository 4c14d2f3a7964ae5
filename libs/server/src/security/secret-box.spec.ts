import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  it('opens what it sealed, and nothing sealed under another key or tampered with', () => {
    const box = new SecretBox('key one');
    const sealed = box.seal('s3cret');
    assert.notEqual(sealed, 's3cret');
    assert.equal(box.open(sealed), 's3cret');
    assert.throws(() => new SecretBox('key two').open(sealed));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    assert.throws(() => box.open(parts.join('.')));
  });
});
