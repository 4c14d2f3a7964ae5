import { DocumentAcl, isPublicAcl, normalizeUserIdentifier } from './acl';
import type { ClientKind } from './client-policy';

export type PrincipalKind = 'workspace-token' | 'user';

/** The caller of a workspace's tools: who they are, which groups they are in, what they may do. */
export interface Principal {
  readonly kind: PrincipalKind;
  readonly subject: string;
  /** Identifiers that document ACLs may name: the subject and, where known, the email. Normalized. */
  readonly identifiers: readonly string[];
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  readonly clientId?: string;
  /** For OAuth access tokens: how the client came to be known, which the workspace's client policy may forbid. */
  readonly clientKind?: ClientKind;
  /** Workspace access token id or OAuth grant id, for the audit log. */
  readonly credentialId: string;
}

export const TOOL_SCOPES = ['search', 'fetch'] as const;
export type ToolScope = (typeof TOOL_SCOPES)[number];

export function principalIdentifiers(subject: string, email?: string): string[] {
  return [...new Set([subject, email].filter((v): v is string => !!v).map(normalizeUserIdentifier))];
}

/** A document the principal may not read does not exist for them. */
export function canRead(principal: Pick<Principal, 'identifiers' | 'groups'>, acl: DocumentAcl): boolean {
  if (isPublicAcl(acl)) return true;
  if (acl.users.some((u) => principal.identifiers.includes(u))) return true;
  return acl.groups.some((g) => principal.groups.includes(g));
}

/**
 * Whether a reader may see a stored document (in a result or a fetch): it is not quarantined, and
 * its ACL admits the reader. The same rule as the database's read functions.
 */
export function canReadDocument(reader: Pick<Principal, 'identifiers' | 'groups'>, document: { readonly acl: DocumentAcl; readonly quarantined: boolean }): boolean {
  return !document.quarantined && canRead(reader, document.acl);
}

export function hasScope(principal: Pick<Principal, 'scopes'>, scope: ToolScope): boolean {
  return principal.scopes.includes(scope);
}
