import { parse, type Filter } from 'scim2-parse-filter';
import type { DirectoryFilter } from '@tessera/persistence';
import { ScimError } from './scim-errors';

const MAX_FILTER_CHARS = 1024;

/**
 * Reads a `filter` query parameter (RFC 7644 §3.4.2.2) into the one equality this service answers:
 * `<attribute> eq "<value>"` on an attribute the resource type allows (what Okta and Entra send to
 * find a resource before creating it). Anything else is a 400 invalidFilter, never a full scan.
 */
export function parseScimFilter(filter: unknown, allowed: ReadonlyArray<DirectoryFilter['attribute']>, schemaUrn: string): DirectoryFilter | undefined {
  if (filter === undefined || filter === '') return undefined;
  if (typeof filter !== 'string') throw ScimError.badRequest('invalidFilter', 'filter must be given once, as a string');
  if (filter.length > MAX_FILTER_CHARS) throw ScimError.badRequest('invalidFilter', `filter is longer than ${MAX_FILTER_CHARS} characters`);
  let ast: Filter;
  try {
    ast = parse(filter);
  } catch {
    throw ScimError.badRequest('invalidFilter', 'filter is not a valid SCIM filter expression');
  }
  if (ast.op !== 'eq' || !('attrPath' in ast)) {
    throw ScimError.badRequest('invalidFilter', `only "<attribute> eq <value>" filters are supported, on ${allowed.join(', ')}`);
  }
  const attribute = attributeName(ast.attrPath, schemaUrn);
  const match = allowed.find((a) => a.toLowerCase() === attribute.toLowerCase());
  if (!match) throw ScimError.badRequest('invalidFilter', `filtering on ${attribute.slice(0, 100)} is not supported; use ${allowed.join(', ')}`);
  if (typeof ast.compValue !== 'string') throw ScimError.badRequest('invalidFilter', `${match} must be compared with a string`);
  return { attribute: match, value: ast.compValue };
}

/** Attribute names may carry their schema URN (`urn:…:User:userName`). */
function attributeName(attrPath: string, schemaUrn: string): string {
  const prefix = `${schemaUrn}:`;
  return attrPath.toLowerCase().startsWith(prefix.toLowerCase()) ? attrPath.slice(prefix.length) : attrPath;
}
