import { SCIM_SCHEMAS } from './scim-schemas';

/** The most resources one list answer holds (RFC 7644 §3.4.2.4 `count` is capped here). */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 100;

/** RFC 7643 §5: what this service supports, for IdPs that read it. */
export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCIM_SCHEMAS.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: 'A SCIM token created with POST /v1/tenants/{tenant}/scim-tokens', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string): Array<Record<string, unknown>> {
  return [
    resourceType(baseUrl, 'User', '/Users', SCIM_SCHEMAS.user, [{ schema: SCIM_SCHEMAS.enterpriseUser, required: false }]),
    resourceType(baseUrl, 'Group', '/Groups', SCIM_SCHEMAS.group, []),
  ];
}

function resourceType(baseUrl: string, name: string, endpoint: string, schema: string, schemaExtensions: unknown[]): Record<string, unknown> {
  return {
    schemas: [SCIM_SCHEMAS.resourceType], id: name, name, endpoint, schema, schemaExtensions,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${name}` },
  };
}

type Attribute = Record<string, unknown>;

function attribute(name: string, options: Partial<Attribute> = {}): Attribute {
  return {
    name, type: 'string', multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...options,
  };
}

function complex(name: string, subAttributes: Attribute[], options: Partial<Attribute> = {}): Attribute {
  return attribute(name, { type: 'complex', subAttributes, ...options });
}

const MULTI_VALUE = [attribute('value'), attribute('type'), attribute('primary', { type: 'boolean' }), attribute('display')];

export function schemas(baseUrl: string): Array<Record<string, unknown>> {
  const user = [
    attribute('userName', { required: true, uniqueness: 'server' }),
    complex('name', ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => attribute(n))),
    attribute('displayName'),
    attribute('externalId', { caseExact: true }),
    attribute('active', { type: 'boolean' }),
    complex('emails', MULTI_VALUE, { multiValued: true }),
    complex('groups', [attribute('value', { mutability: 'readOnly' }), attribute('display', { mutability: 'readOnly' }), attribute('$ref', { type: 'reference', mutability: 'readOnly' })], { multiValued: true, mutability: 'readOnly' }),
  ];
  const group = [
    attribute('displayName', { required: true, uniqueness: 'server' }),
    attribute('externalId', { caseExact: true }),
    complex('members', [attribute('value', { mutability: 'immutable' }), attribute('display', { mutability: 'readOnly' }), attribute('$ref', { type: 'reference', mutability: 'immutable' })], { multiValued: true }),
  ];
  return [
    schema(baseUrl, SCIM_SCHEMAS.user, 'User', 'User Account', user),
    schema(baseUrl, SCIM_SCHEMAS.group, 'Group', 'Group', group),
  ];
}

function schema(baseUrl: string, id: string, name: string, description: string, attributes: Attribute[]): Record<string, unknown> {
  return { schemas: [SCIM_SCHEMAS.schema], id, name, description, attributes, meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` } };
}

export function listResponse(resources: unknown[], totalResults: number, startIndex: number): Record<string, unknown> {
  return { schemas: [SCIM_SCHEMAS.listResponse], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** RFC 7644 §3.4.2.4: startIndex is 1-based (less than 1 means 1); count is capped, negative means 0. */
export function pageOf(query: { startIndex?: unknown; count?: unknown }): { startIndex: number; count: number } {
  const startIndex = Math.max(1, integerOf(query.startIndex) ?? 1);
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, integerOf(query.count) ?? DEFAULT_PAGE_SIZE));
  return { startIndex, count };
}

function integerOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^-?\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}
