/** Who is a member of a workspace by rule rather than one by one. */
export interface MembershipRule {
  /** Members of any of these SCIM groups (by display name) are members of the workspace. */
  readonly scimGroups?: readonly string[];
}

/** What the directory knows of one person, as it bears on one workspace. */
export interface DirectoryFacts {
  /** False once the IdP deactivated the person. */
  readonly active: boolean;
  /** Groups of an explicit membership of the workspace, or null when there is none. */
  readonly memberGroups: readonly string[] | null;
  /** Display names of the tenant's SCIM groups the person belongs to. */
  readonly scimGroups: readonly string[];
}

/**
 * The person's groups in the workspace, or null when they are not a member. A member is someone added
 * to the workspace, or in one of the SCIM groups its rule names; a deactivated person is no one's
 * member. Their groups are those of the explicit membership and every SCIM group they are in: SCIM
 * groups are the `groups` that document ACLs name.
 */
export function effectiveGroups(facts: DirectoryFacts, rule: MembershipRule | undefined): string[] | null {
  if (!facts.active) return null;
  const byRule = (rule?.scimGroups ?? []).some((group) => facts.scimGroups.includes(group));
  if (facts.memberGroups === null && !byRule) return null;
  return [...new Set([...(facts.memberGroups ?? []), ...facts.scimGroups])].sort();
}
