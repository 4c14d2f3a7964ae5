/** Who is calling the tenant API: the platform admin, or one tenant through its API key. */
export type Actor = { readonly kind: 'platform' } | { readonly kind: 'tenant'; readonly tenantId: string };

export function actorId(actor: Actor): string {
  return actor.kind === 'platform' ? 'platform-admin' : `tenant:${actor.tenantId}`;
}
