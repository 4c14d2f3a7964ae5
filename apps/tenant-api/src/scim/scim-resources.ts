import { isUuid } from '@tessera/domain';
import type { DirectoryGroup, DirectoryGroupInput, DirectoryUser, DirectoryUserInput } from '@tessera/persistence';
import { ScimError } from './scim-errors';
import { isObject } from './scim-patch';
import { SCIM_SCHEMAS } from './scim-schemas';

/** Attributes the service owns or derives; whatever else the IdP sends about a user is kept as sent. */
const USER_RESERVED = new Set(['schemas', 'id', 'meta', 'userName', 'externalId', 'active', 'groups', 'password']);
const MAX_KEPT_ATTRIBUTES_BYTES = 16 * 1024;

export type ScimResourceJson = Record<string, unknown> & { id: string; meta: Record<string, unknown> & { version: string } };

/** `W/"<version>"`: the resource's ETag and `meta.version`. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

export function toScimUser(baseUrl: string, user: DirectoryUser, groups: ReadonlyArray<{ id: string; displayName: string }>): ScimResourceJson {
  const kept = user.scim;
  const schemas = [SCIM_SCHEMAS.user, ...(isObject(kept[SCIM_SCHEMAS.enterpriseUser]) ? [SCIM_SCHEMAS.enterpriseUser] : [])];
  return {
    ...kept,
    schemas,
    id: user.id,
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    userName: user.email,
    displayName: typeof kept.displayName === 'string' ? kept.displayName : user.name,
    active: user.active,
    groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${baseUrl}/Groups/${g.id}`, type: 'direct' })),
    meta: { resourceType: 'User', created: user.createdAt.toISOString(), lastModified: user.updatedAt.toISOString(), location: `${baseUrl}/Users/${user.id}`, version: etagOf(user.version) },
  };
}

export function toScimGroup(baseUrl: string, group: DirectoryGroup, members: ReadonlyArray<{ id: string; email: string }>): ScimResourceJson {
  return {
    schemas: [SCIM_SCHEMAS.group],
    id: group.id,
    ...(group.externalId !== null ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    members: members.map((m) => ({ value: m.id, display: m.email, $ref: `${baseUrl}/Users/${m.id}`, type: 'User' })),
    meta: { resourceType: 'Group', created: group.createdAt.toISOString(), lastModified: group.updatedAt.toISOString(), location: `${baseUrl}/Groups/${group.id}`, version: etagOf(group.version) },
  };
}

/** A User as POSTed, PUT or patched, read into what the directory stores (400 invalidValue when it cannot be). */
export function userInputFrom(body: unknown): DirectoryUserInput {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'a User must be a JSON object');
  const userName = text(body.userName, 'userName', 320);
  if (userName === undefined || /\s/.test(userName)) throw ScimError.badRequest('invalidValue', 'userName is required: the login (email) of the user, without spaces');
  const scim: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!USER_RESERVED.has(key) && value !== null) scim[key] = value;
  if (JSON.stringify(scim).length > MAX_KEPT_ATTRIBUTES_BYTES) throw ScimError.badRequest('invalidValue', `a User's attributes take at most ${MAX_KEPT_ATTRIBUTES_BYTES} bytes`);
  return {
    email: userName.toLowerCase(),
    name: displayNameOf(scim, userName),
    externalId: text(body.externalId, 'externalId', 256) ?? null,
    active: booleanOf(body.active, 'active') ?? true,
    scim,
  };
}

/** A Group as POSTed, PUT or patched; members must be users of the tenant (checked by the caller). */
export function groupInputFrom(body: unknown): DirectoryGroupInput {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'a Group must be a JSON object');
  const displayName = text(body.displayName, 'displayName', 256);
  if (displayName === undefined) throw ScimError.badRequest('invalidValue', 'displayName is required');
  const members = body.members ?? [];
  if (!Array.isArray(members)) throw ScimError.badRequest('invalidValue', 'members must be an array');
  const memberIds = members.map((member: unknown) => {
    const value = isObject(member) ? member.value : undefined;
    if (typeof value !== 'string' || !isUuid(value)) throw ScimError.badRequest('invalidValue', 'each member needs the value (id) of a User of this tenant');
    if (isObject(member) && typeof member.type === 'string' && member.type !== 'User') throw ScimError.badRequest('invalidValue', 'only Users can be group members');
    return value.toLowerCase();
  });
  return { displayName, externalId: text(body.externalId, 'externalId', 256) ?? null, memberIds: [...new Set(memberIds)] };
}

/** Microsoft Entra sends booleans as "True"/"False" strings in PATCH; both forms mean the same. */
export function booleanOf(value: unknown, attribute: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw ScimError.badRequest('invalidValue', `${attribute} must be a boolean`);
}

function text(value: unknown, attribute: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', `${attribute} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length === 0) return undefined;
  if (trimmed.length > max || hasControlCharacter(trimmed)) throw ScimError.badRequest('invalidValue', `${attribute} must be at most ${max} printable characters`);
  return trimmed;
}

function displayNameOf(scim: Record<string, unknown>, userName: string): string {
  const name = isObject(scim.name) ? scim.name : {};
  const candidates = [scim.displayName, name.formatted, [name.givenName, name.familyName].filter((p) => typeof p === 'string').join(' ')];
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim().length > 0);
  return (found ?? userName).trim().slice(0, 200);
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
