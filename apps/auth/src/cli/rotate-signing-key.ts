/**
 * `npm run keys:rotate`: adds a new active signing key and retires the others, which stay published in
 * the JWKS for two days so tokens signed with them keep verifying. Restart the auth replicas (a rolling
 * restart) to start signing with the new key; until then they keep signing with the previous one.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { openDatabase, SigningKeyRepository } from '@tessera/persistence';
import { rotateSigningKey } from '../oidc/signing-keys';

async function main(): Promise<void> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: resolve(process.env.DATA_DIR ?? '.data'), migrate: true });
  try {
    const kid = await rotateSigningKey(new SigningKeyRepository(database.dataSource));
    console.log(`new signing key ${kid} is active; restart the auth replicas to sign with it`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
