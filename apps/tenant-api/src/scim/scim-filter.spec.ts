import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ScimError } from './scim-errors';
import { parseScimFilter } from './scim-filter';
import { SCIM_SCHEMAS } from './scim-schemas';

const USERS = ['userName', 'externalId', 'displayName', 'id'] as const;

describe('parseScimFilter', () => {
  it('reads the equalities IdPs send, attribute names in any case or with their schema URN', () => {
    expect(parseScimFilter('userName eq "Ana@Acme.example"', USERS, SCIM_SCHEMAS.user)).toStrictEqual({ attribute: 'userName', value: 'Ana@Acme.example' });
    expect(parseScimFilter('externalid EQ "00u1"', USERS, SCIM_SCHEMAS.user)).toStrictEqual({ attribute: 'externalId', value: '00u1' });
    expect(parseScimFilter(`${SCIM_SCHEMAS.user}:userName eq "a"`, USERS, SCIM_SCHEMAS.user)).toStrictEqual({ attribute: 'userName', value: 'a' });
    assert.equal(parseScimFilter(undefined, USERS, SCIM_SCHEMAS.user), undefined);
  });

  it('refuses every other filter with 400 invalidFilter', () => {
    for (const filter of ['userName co "a"', 'userName eq "a" and externalId eq "b"', 'title eq "x"', 'userName eq', 'userName pr', 'active eq true', 'userName eq 3', ['a', 'b'], 'x'.repeat(2000)]) {
      assert.throws(() => parseScimFilter(filter, USERS, SCIM_SCHEMAS.user), (error: unknown) => error instanceof ScimError && error.status === 400 && error.scimType === 'invalidFilter', String(filter).slice(0, 40));
    }
  });
});
