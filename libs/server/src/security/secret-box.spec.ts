import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
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

  it('keeps secrets sealed under previous keys readable after a rotation, and seals only under the new key', () => {
    const sealedBefore = new SecretBox('the old key, at least 32 characters').seal('idp-secret');
    const rotated = new SecretBox('the new key, at least 32 characters', ['the old key, at least 32 characters']);
    assert.equal(rotated.open(sealedBefore), 'idp-secret');
    const sealedAfter = rotated.seal('idp-secret-2');
    assert.equal(new SecretBox('the new key, at least 32 characters').open(sealedAfter), 'idp-secret-2');
    assert.throws(() => new SecretBox('the old key, at least 32 characters').open(sealedAfter));
    assert.throws(() => new SecretBox('the new key, at least 32 characters').open(sealedBefore), /current or any previous/);
  });

  it('still refuses a tampered secret when previous keys are given', () => {
    const box = new SecretBox('key one', ['key zero']);
    const parts = box.seal('s3cret').split('.');
    parts[2] = Buffer.alloc(16).toString('base64url');
    assert.throws(() => box.open(parts.join('.')), /current or any previous/);
  });
});
