import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { effectiveGroups } from './membership';

describe('effectiveGroups', () => {
  it('admits an explicit member with their groups and their SCIM groups', () => {
    expect(effectiveGroups({ active: true, memberGroups: ['staff'], scimGroups: ['Engineering'] }, undefined)).toStrictEqual(['Engineering', 'staff']);
  });

  it('admits a member of a SCIM group the workspace rule names, and no one else', () => {
    const rule = { scimGroups: ['Engineering'] };
    expect(effectiveGroups({ active: true, memberGroups: null, scimGroups: ['Engineering', 'Sales'] }, rule)).toStrictEqual(['Engineering', 'Sales']);
    assert.equal(effectiveGroups({ active: true, memberGroups: null, scimGroups: ['Sales'] }, rule), null);
    assert.equal(effectiveGroups({ active: true, memberGroups: null, scimGroups: ['engineering'] }, rule), null, 'group names compare exactly, as ACLs do');
  });

  it('admits no deactivated person, however they would be a member', () => {
    assert.equal(effectiveGroups({ active: false, memberGroups: ['staff'], scimGroups: ['Engineering'] }, { scimGroups: ['Engineering'] }), null);
  });
});
