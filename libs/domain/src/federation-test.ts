/**
 * "Test sign-in" of a tenant's identity provider: a tenant admin starts it in the tenant API, which stores a
 * single-use ticket; the browser goes through the authorization server's own federation (the same
 * discovery, SSRF guard, PKCE, state, nonce and ID token checks as a real sign-in) to the IdP and back, and
 * the authorization server writes the outcome on the ticket instead of signing anyone in. The two apps
 * agree on this record through the database, so its shape lives here.
 */
export const FEDERATION_TEST_PATH = '/oauth/federation/test';
/** The oidc_models kind of the ticket. */
export const FEDERATION_TEST_KIND = 'FederationTest';
export const FEDERATION_TEST_TTL_SECONDS = 600;
/** Where the browser returns to see the outcome (the console reads the ticket through the tenant API). */
export const FEDERATION_TEST_RETURN_PATH = '/console/identity-provider';

export type FederationTestFailureCode =
  /** The issuer was refused before any connection (not https, or an internal address). */
  | 'issuer_refused'
  /** The issuer's OpenID discovery document could not be fetched or is not valid. */
  | 'discovery_failed'
  /** The IdP answered the authorization request with an error page (4xx): the redirect URI or client ID is not registered there. */
  | 'redirect_refused'
  /** The IdP sent the browser back with an error (e.g. access_denied, unauthorized_client, invalid_request). */
  | 'idp_error'
  /** The token endpoint refused the client's credentials: a wrong client secret or client id. */
  | 'client_authentication_failed'
  /** The token endpoint refused the code (redirect URI mismatch, PKCE, expired code). */
  | 'code_exchange_refused'
  /** The token endpoint or JWKS could not be reached, or answered something that is not OAuth. */
  | 'token_request_failed'
  /** The ID token did not verify (signature, issuer, audience, nonce, expiry). */
  | 'id_token_invalid'
  /** The IdP shared no email address, or one it does not call verified. */
  | 'no_verified_email'
  /** A name, email or group that is not valid text. */
  | 'invalid_claims';

/** What a successful test shows: the claims that would map to the user; never a token. */
export interface FederationTestClaims {
  readonly email: string;
  readonly name: string | null;
  readonly groups: readonly string[];
  /** Whether the tenant already has this user (the console signs in existing users only). */
  readonly existingUser: boolean;
}

export type FederationTestOutcome =
  | { readonly status: 'pending' }
  | { readonly status: 'succeeded'; readonly claims: FederationTestClaims }
  | { readonly status: 'failed'; readonly code: FederationTestFailureCode; readonly message: string };

export interface FederationTestTicket {
  readonly tenantId: string;
  /** Who asked (actorId), for the audit log. */
  readonly requestedBy: string;
  /** Set when the browser has used the ticket: it starts one round trip only. */
  readonly startedAt?: string;
  readonly outcome: FederationTestOutcome;
}

/** Text from an IdP shown to the admin: one line, printable, bounded. */
export function idpMessage(value: unknown, max = 300): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim().slice(0, max);
}
