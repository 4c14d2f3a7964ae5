import type * as oidc from 'openid-client';
import { findUnsafeText } from '@tessera/domain';

export type IdpClaims =
  | { readonly ok: true; readonly email: string; readonly name: string | undefined; readonly groups: string[] }
  | { readonly ok: false; readonly code: 'no_verified_email' | 'invalid_claims' };

/**
 * What a tenant IdP's ID token says about the person, as Tessera maps it: a verified email (lowercased), the
 * name, the groups from the tenant's groups claim (strings up to 128 characters, sorted, distinct). The IdP is
 * the tenant's: what it says is input like any other (the platform's one rule on text).
 */
export function idpClaims(claims: oidc.IDToken, groupsClaim: string): IdpClaims {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email || claims.email_verified === false) return { ok: false, code: 'no_verified_email' };
  const rawGroups = claims[groupsClaim];
  const groups = Array.isArray(rawGroups) ? [...new Set(rawGroups.filter((g): g is string => typeof g === 'string' && g.length <= 128))].sort() : [];
  if (findUnsafeText({ email, name: claims.name, groups })) return { ok: false, code: 'invalid_claims' };
  return { ok: true, email, name: typeof claims.name === 'string' ? claims.name.slice(0, 200) : undefined, groups };
}
