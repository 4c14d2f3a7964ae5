import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { canReadDocument } from './principal';

describe('canReadDocument', () => {
  it('is the database rule: quarantine hides, an empty ACL is public, else a user or group it names', () => {
    const reader = { identifiers: ['ann@example.com'], groups: ['eng'] };
    assert.equal(canReadDocument(reader, { acl: { users: [], groups: [] }, quarantined: false }), true);
    assert.equal(canReadDocument(reader, { acl: { users: [], groups: [] }, quarantined: true }), false);
    assert.equal(canReadDocument(reader, { acl: { users: ['ann@example.com'], groups: [] }, quarantined: false }), true);
    assert.equal(canReadDocument(reader, { acl: { users: ['bob@example.com'], groups: ['eng'] }, quarantined: false }), true);
    assert.equal(canReadDocument(reader, { acl: { users: ['bob@example.com'], groups: ['ops'] }, quarantined: false }), false);
  });
});
