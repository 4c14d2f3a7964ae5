import {
  InvalidScimPatchOp, InvalidScimPatchRequest, InvalidScimRemoveValue, NoPathInScimPatchOp, NoTarget,
  ScimError as PatchLibraryError, scimPatch, type ScimPatchOperation, type ScimResource,
} from 'scim-patch';
import { ScimError } from './scim-errors';
import { SCIM_SCHEMAS } from './scim-schemas';

const MAX_OPERATIONS = 1000;
const OPS = new Set(['add', 'remove', 'replace']);

/**
 * Applies an RFC 7644 §3.5.2 PATCH request to a resource's SCIM representation and returns the patched
 * copy. The operations themselves are the `scim-patch` library's (paths, value filters such as
 * `members[value eq "…"]`, value arrays); this layer accepts what Okta and Microsoft Entra send beyond
 * the letter of the RFC — `op` in any case ("Replace", "REMOVE") — and answers the library's failures
 * as SCIM errors (400 with invalidSyntax, invalidPath, invalidValue or noTarget).
 */
export function applyScimPatch<T extends object>(resource: T, body: unknown): T {
  let patched = structuredClone(resource) as unknown as ScimResource;
  for (const operation of operationsOf(body)) {
    const removed = memberRemoval(operation);
    if (removed) {
      patched = withoutMembers(patched, removed);
      continue;
    }
    try {
      patched = scimPatch(patched, [operation], { mutateDocument: true });
    } catch (error) {
      throw patchError(error);
    }
  }
  return patched as unknown as T;
}

const MEMBER_FILTER = /^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$/i;

/**
 * Removing group members is answered here rather than by the library: members are matched by `value`
 * alone (Entra sends `{"$ref": null, "value": …}`, which deep equality with a stored member would
 * miss), and removing someone who is not a member is a no-op, as both IdPs expect, not noTarget.
 */
function memberRemoval(operation: ScimPatchOperation): Set<string> | undefined {
  if (operation.op !== 'remove' || typeof operation.path !== 'string') return undefined;
  const filtered = MEMBER_FILTER.exec(operation.path.trim());
  if (filtered) return new Set([filtered[1]!.toLowerCase()]);
  if (operation.path.trim().toLowerCase() !== 'members') return undefined;
  const value = (operation as { value?: unknown }).value;
  if (value === undefined) return new Set(['*']);
  if (!Array.isArray(value)) throw ScimError.badRequest('invalidValue', 'remove from members takes an array of {value}');
  return new Set(value.map((member: unknown) => (isObject(member) && typeof member.value === 'string' ? member.value.toLowerCase() : '')).filter(Boolean));
}

function withoutMembers(resource: ScimResource, removed: Set<string>): ScimResource {
  const members = (resource as { members?: unknown }).members;
  if (!Array.isArray(members)) return resource;
  const kept = removed.has('*') ? [] : members.filter((m: unknown) => !(isObject(m) && typeof m.value === 'string' && removed.has(m.value.toLowerCase())));
  return { ...resource, members: kept } as ScimResource;
}

function operationsOf(body: unknown): ScimPatchOperation[] {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'a PATCH body must be a PatchOp message');
  if (!Array.isArray(body.schemas) || !body.schemas.includes(SCIM_SCHEMAS.patchOp)) {
    throw ScimError.badRequest('invalidSyntax', `schemas must include ${SCIM_SCHEMAS.patchOp}`);
  }
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) throw ScimError.badRequest('invalidSyntax', 'Operations must be a non-empty array');
  if (operations.length > MAX_OPERATIONS) throw ScimError.badRequest('tooMany', `at most ${MAX_OPERATIONS} operations per request`);
  return operations.map((operation: unknown, index: number) => {
    if (!isObject(operation) || typeof operation.op !== 'string') throw ScimError.badRequest('invalidSyntax', `Operations[${index}].op is required`);
    const op = operation.op.toLowerCase();
    if (!OPS.has(op)) throw ScimError.badRequest('invalidSyntax', `Operations[${index}].op must be add, remove or replace`);
    if (operation.path !== undefined && typeof operation.path !== 'string') throw ScimError.badRequest('invalidPath', `Operations[${index}].path must be a string`);
    if (op === 'remove' && !operation.path) throw ScimError.badRequest('noTarget', `Operations[${index}]: remove needs a path`);
    if (op !== 'remove' && operation.value === undefined) throw ScimError.badRequest('invalidValue', `Operations[${index}]: ${op} needs a value`);
    return { ...operation, op } as ScimPatchOperation;
  });
}

function patchError(error: unknown): Error {
  if (!(error instanceof PatchLibraryError)) return error as Error;
  // The library's messages name the path and the rule, never a secret; keep them short.
  const detail = error.message.replace(/^Invalid SCIM Patch: /, '').slice(0, 300);
  // The library's filter-matched-nothing errors (not exported) carry the value path they tried.
  if (error instanceof NoTarget || error instanceof NoPathInScimPatchOp || 'valuePath' in error) {
    return ScimError.badRequest('noTarget', detail);
  }
  if (error instanceof InvalidScimRemoveValue) return ScimError.badRequest('invalidValue', detail);
  if (error instanceof InvalidScimPatchRequest) return ScimError.badRequest('invalidSyntax', detail);
  if (error instanceof InvalidScimPatchOp) return ScimError.badRequest('invalidPath', detail);
  return ScimError.badRequest('invalidSyntax', detail);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
