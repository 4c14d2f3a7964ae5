import { exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import type { SigningKeyRepository } from '@tessera/persistence';

export const SIGNING_ALG = 'ES256';

/**
 * Retired keys stay published this long, longer than any access token or ID token lives,
 * so tokens signed before a rotation keep verifying until they expire.
 */
export const RETIRED_KEY_GRACE_SECONDS = 2 * 86_400;

export type PrivateJwk = Record<string, unknown> & { kid: string; alg: string };

/** The private JWKS for oidc-provider: the active key first (it signs), then keys still verifying. */
export async function loadSigningKeys(repository: SigningKeyRepository): Promise<PrivateJwk[]> {
  let rows = await repository.listPublishable(RETIRED_KEY_GRACE_SECONDS);
  if (rows.length === 0) {
    await rotateSigningKey(repository);
    rows = await repository.listPublishable(RETIRED_KEY_GRACE_SECONDS);
  }
  return rows.map((row) => ({ ...row.private_jwk, kid: row.kid, alg: row.alg, use: 'sig' }));
}

/**
 * Adds a new active key and retires the others (still published for the grace period). Replicas pick
 * the new key up on restart; until then they keep signing with the previous key, which stays valid.
 */
export async function rotateSigningKey(repository: SigningKeyRepository): Promise<string> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = randomUUID();
  await repository.insert(kid, SIGNING_ALG, { ...jwk });
  await repository.retireAllBut(kid);
  return kid;
}
