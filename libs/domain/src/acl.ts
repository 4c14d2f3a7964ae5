/** Who may read a document. Both lists empty means everyone in the workspace. */
export interface DocumentAcl {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

export const PUBLIC_ACL: DocumentAcl = { users: [], groups: [] };

/** User identifiers (subjects, emails) compare case-insensitively; group names exactly. */
export function normalizeUserIdentifier(value: string): string {
  return value.trim().toLowerCase();
}

export function normalizeAcl(acl: { users?: readonly string[]; groups?: readonly string[] } | undefined): DocumentAcl {
  const users = [...new Set((acl?.users ?? []).map(normalizeUserIdentifier).filter(Boolean))].sort();
  const groups = [...new Set((acl?.groups ?? []).map((g) => g.trim()).filter(Boolean))].sort();
  return { users, groups };
}

export function isPublicAcl(acl: DocumentAcl): boolean {
  return acl.users.length === 0 && acl.groups.length === 0;
}
