/**
 * A SCIM 2.0 client that sends what Okta and Microsoft Entra ID send, in the order their provisioning
 * documentation describes (Okta: "SCIM 2.0 protocol reference"; Entra: "Tutorial: develop and plan
 * provisioning for a SCIM endpoint" — request and response examples), including Entra's departures
 * from the RFC: `op` capitalized ("Replace", "Add"), booleans as "True"/"False" strings, `name` keys on
 * operations and `$ref: null` on members.
 */
import { readBody } from './platform';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class ScimClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request(method: string, path: string, body?: unknown, options: { contentType?: string; token?: string; headers?: Record<string, string> } = {}): Promise<ScimResponse> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? this.token}`,
        accept: 'application/scim+json',
        ...(body !== undefined ? { 'content-type': options.contentType ?? 'application/scim+json' } : {}),
        ...options.headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, ...(await readBody(response)) };
  }

  /** Both IdPs look a user up by userName before creating them. */
  findUserByUserName(userName: string): Promise<ScimResponse> {
    return this.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
  }

  oktaCreateUser(userName: string, externalId: string): Promise<ScimResponse> {
    return this.request('POST', '/Users', {
      schemas: [USER_SCHEMA], userName, name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: userName, type: 'work' }], displayName: 'Test User', locale: 'en-US', externalId, groups: [], password: '1mz050nq', active: true,
    });
  }

  oktaDeactivate(id: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
  }

  oktaCreateGroup(displayName: string): Promise<ScimResponse> {
    return this.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName, members: [] });
  }

  oktaRenameGroup(id: string, displayName: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id, displayName } }] });
  }

  oktaAddMember(groupId: string, userId: string, display: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userId, display }] }] });
  }

  oktaRemoveMember(groupId: string, userId: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
  }

  entraCreateUser(userName: string, externalId: string): Promise<ScimResponse> {
    return this.request('POST', '/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE_USER], externalId, userName, active: true,
      emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }], meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' }, roles: [],
      [ENTERPRISE_USER]: { department: 'Research', employeeNumber: '17' },
    });
  }

  entraUpdateUser(id: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
  }

  entraDisable(id: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
  }

  entraCreateGroup(displayName: string, externalId: string): Promise<ScimResponse> {
    return this.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], externalId, displayName, meta: { resourceType: 'Group' } });
  }

  entraFindGroup(displayName: string): Promise<ScimResponse> {
    return this.request('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`);
  }

  entraAddMember(groupId: string, userId: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ name: 'addMember', op: 'Add', path: 'members', value: [{ $ref: null, value: userId }] }] });
  }

  entraRemoveMember(groupId: string, userId: string): Promise<ScimResponse> {
    return this.request('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ name: 'removeMember', op: 'Remove', path: 'members', value: [{ $ref: null, value: userId }] }] });
  }
}
