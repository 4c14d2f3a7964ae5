import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { decodeDocumentCursor, encodeDocumentCursor } from './document-list-cursor';

describe('document list cursor', () => {
  it('gives back the id it was made from, for every kind of document id', () => {
    for (const id of ['a', 'Alpha', 'handbook:intro', 'x.y_z@w-1', 'a'.repeat(128)]) {
      const cursor = encodeDocumentCursor(id);
      assert.match(cursor, /^[A-Za-z0-9_-]+$/, 'safe in a query string as it is');
      assert.equal(decodeDocumentCursor(cursor), id);
    }
  });

  it('refuses what it never hands out: other alphabets, padding, ids that are not document ids, other encodings of an id', () => {
    const bad = [
      '', 'not a cursor', 'YQ==', 'a+b/', Buffer.from('../etc', 'utf8').toString('base64url'),
      Buffer.from('-starts-with-dash', 'utf8').toString('base64url'), Buffer.from('a'.repeat(129), 'utf8').toString('base64url'),
      Buffer.from('ünïcode', 'utf8').toString('base64url'), 'YR', // 'a' with trailing bits set differently decodes to 'a' but is not its encoding
    ];
    for (const cursor of bad) assert.equal(decodeDocumentCursor(cursor), null, JSON.stringify(cursor));
  });
});
