/**
 * Who is calling the tenant API: the platform admin, or one tenant, through its API key or through a
 * tenant admin's console session (`adminUserId` set). Both tenant forms pass the same authorization rules.
 */
export type Actor =
  | { readonly kind: 'platform' }
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly adminUserId?: string };

export function actorId(actor: Actor): string {
  if (actor.kind === 'platform') return 'platform-admin';
  return actor.adminUserId ? `tenant-admin:${actor.adminUserId}` : `tenant:${actor.tenantId}`;
}
