import type { Principal, WorkspaceContext } from '@tessera/domain';
import type { MaybePromise } from '../common/maybe-promise';

/**
 * Turns a bearer token into a principal of exactly this workspace, or null. A token issued for any
 * other workspace (another audience) is null here: tokens are never passed through or reused.
 */
export interface AccessTokenVerifier {
  /** Cheap syntactic check, so the chain asks only the verifier that can understand the token. */
  accepts(token: string): boolean;
  /** At once for a token verified recently (still bound by revocation and expiry), else with a promise. */
  verify(token: string, workspace: WorkspaceContext): MaybePromise<Principal | null>;
}

export const ACCESS_TOKEN_VERIFIERS = Symbol('ACCESS_TOKEN_VERIFIERS');
