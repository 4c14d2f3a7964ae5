/** What the authorization server remembers between sending the browser to a tenant IdP and its return. */
export const FEDERATION_STATE_KIND = 'FederationState';
export const FEDERATION_STATE_TTL_SECONDS = 600;

export interface FederationState {
  /** The interaction to finish; '' for a test sign-in, which finishes none. */
  uid: string;
  tenantId: string;
  /** Absent when signing in to the admin console: nobody is provisioned, only existing users sign in. */
  workspaceId?: string;
  verifier: string;
  nonce: string;
  accountId?: string;
  /** A test sign-in's ticket: the outcome is written there and nobody is signed in or provisioned. */
  testId?: string;
}
