import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ScimError } from './scim-errors';
import { applyScimPatch } from './scim-patch';
import { groupInputFrom, userInputFrom } from './scim-resources';
import { SCIM_SCHEMAS } from './scim-schemas';

const ANA = '0b8c5a52-6a3f-4a4e-9a52-5c8f0f1e2a01';
const BO = '1c9d6b63-7b4f-4b5f-8b63-6d9f1f2f3b02';
const GROUP = { schemas: [SCIM_SCHEMAS.group], id: 'g1', displayName: 'Engineering', members: [{ value: ANA, display: 'ana', $ref: 'https://x/Users/a', type: 'User' }] };
const USER = { schemas: [SCIM_SCHEMAS.user], id: 'u1', userName: 'ana@acme.example', active: true, name: { givenName: 'Ana' }, emails: [{ value: 'ana@acme.example', type: 'work', primary: true }] };

const patch = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patchOp], Operations });

function scimTypeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ScimError, String(error));
    return error.scimType;
  }
  assert.fail('expected a SCIM error');
}

describe('applyScimPatch', () => {
  it('adds and removes members the way Okta sends them (value arrays, members[value eq "…"] filters)', () => {
    const added = applyScimPatch(GROUP, patch({ op: 'add', path: 'members', value: [{ value: BO, display: 'bo' }] }));
    expect(groupInputFrom(added).memberIds).toStrictEqual([ANA, BO]);
    const removed = applyScimPatch(added, patch({ op: 'remove', path: `members[value eq "${ANA}"]` }));
    expect(groupInputFrom(removed).memberIds).toStrictEqual([BO]);
    assert.deepEqual(GROUP.members.length, 1, 'the input is not changed');
  });

  it('accepts what Microsoft Entra sends: capitalized ops, $ref null, "False", named operations', () => {
    const added = applyScimPatch(GROUP, patch({ name: 'addMember', op: 'Add', path: 'members', value: [{ $ref: null, value: BO }] }));
    expect(groupInputFrom(added).memberIds).toStrictEqual([ANA, BO]);
    const removed = applyScimPatch(added, patch({ name: 'removeMember', op: 'REMOVE', path: 'members', value: [{ $ref: null, value: ANA.toUpperCase() }] }));
    expect(groupInputFrom(removed).memberIds).toStrictEqual([BO]);
    const disabled = applyScimPatch(USER, patch({ op: 'Replace', path: 'active', value: 'False' }));
    assert.equal(userInputFrom(disabled).active, false);
    const renamed = applyScimPatch(USER, patch({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@acme.example' }, { op: 'Add', path: 'name.familyName', value: 'Costa' }));
    assert.equal((renamed.emails as Array<{ value: string }>)[0]!.value, 'new@acme.example');
    assert.equal(userInputFrom(renamed).name, 'Ana Costa');
  });

  it('treats removing a non-member, or from an empty group, as done', () => {
    const empty = { ...GROUP, members: [] };
    expect(groupInputFrom(applyScimPatch(empty, patch({ op: 'remove', path: `members[value eq "${BO}"]` }))).memberIds).toStrictEqual([]);
    expect(groupInputFrom(applyScimPatch(GROUP, patch({ op: 'remove', path: 'members', value: [{ value: BO }] }))).memberIds).toStrictEqual([ANA]);
    assert.deepEqual(groupInputFrom(applyScimPatch(GROUP, patch({ op: 'remove', path: 'members' }))).memberIds, [], 'no value: every member');
  });

  it('replaces attributes without a path (Okta deactivation and group rename)', () => {
    assert.equal(userInputFrom(applyScimPatch(USER, patch({ op: 'replace', value: { active: false } }))).active, false);
    assert.equal(groupInputFrom(applyScimPatch(GROUP, patch({ op: 'replace', value: { id: 'g1', displayName: 'Platform' } }))).displayName, 'Platform');
  });

  it('answers malformed requests with the scimType RFC 7644 gives them', () => {
    assert.equal(scimTypeOf(() => applyScimPatch(USER, { Operations: [{ op: 'replace', path: 'active', value: false }] })), 'invalidSyntax');
    assert.equal(scimTypeOf(() => applyScimPatch(USER, patch())), 'invalidSyntax');
    assert.equal(scimTypeOf(() => applyScimPatch(USER, patch({ op: 'move', path: 'active' }))), 'invalidSyntax');
    assert.equal(scimTypeOf(() => applyScimPatch(USER, patch({ op: 'remove' }))), 'noTarget');
    assert.equal(scimTypeOf(() => applyScimPatch(USER, patch({ op: 'replace', path: 'emails[type eq "home"].value', value: 'x' }))), 'noTarget');
    assert.equal(scimTypeOf(() => applyScimPatch(USER, patch({ op: 'replace', path: 'emails[type eq', value: 'x' }))), 'invalidPath');
    assert.equal(scimTypeOf(() => applyScimPatch(USER, patch({ op: 'add', path: 'active' }))), 'invalidValue');
    assert.equal(scimTypeOf(() => applyScimPatch(USER, patch(...Array.from({ length: 1001 }, () => ({ op: 'add', path: 'title', value: 'x' }))))), 'tooMany');
    assert.equal(scimTypeOf(() => userInputFrom(applyScimPatch(USER, patch({ op: 'replace', path: 'active', value: 'nope' })))), 'invalidValue');
  });
});
