import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadPlatformConfig, requiredEncryptionKey } from './platform-config';

const ADMIN_TOKEN = 'tsa_admin-token-0123456789abcdef';
const QUERY_KEY = 'q0123456789abcdefghijklmnopqrstuvwxyzABCDE';
const BASE = { DATA_DIR: '/tmp/tessera-config-spec' };
const gateway = (env: Record<string, string>) => loadPlatformConfig({ ...BASE, ...env }, { allowGeneratedAdminToken: false, adminTokenOrQueryHashKey: true });
const app = (env: Record<string, string>) => loadPlatformConfig({ ...BASE, ...env }, { allowGeneratedAdminToken: false });
/** The derivation the gateway used before TESSERA_QUERY_HASH_KEY existed, written out independently. */
const keyBefore = createHmac('sha256', ADMIN_TOKEN).update('tessera:query-hash:v1').digest();

describe('the query-hash key (least secret for the MCP gateway)', () => {
  it('lets the gateway boot without the admin token when TESSERA_QUERY_HASH_KEY is given', () => {
    const config = gateway({ TESSERA_QUERY_HASH_KEY: QUERY_KEY });
    assert.equal(config.adminToken, undefined);
    assert.equal(config.encryptionKey, undefined, 'nothing is derived from a token it does not have');
    expect(config.queryHashKey).toStrictEqual(Buffer.from(QUERY_KEY, 'base64url'));
    assert.throws(() => requiredEncryptionKey(config), /TESSERA_ENCRYPTION_KEY is required/);
  });

  it('refuses a gateway given neither, naming both variables', () => {
    assert.throws(() => gateway({}), (error: unknown) => error instanceof ConfigError && /TESSERA_QUERY_HASH_KEY/.test(error.message) && /TESSERA_ADMIN_TOKEN/.test(error.message));
  });

  it('keeps the admin token required by the apps that use it, even with a query-hash key', () => {
    assert.throws(() => app({ TESSERA_QUERY_HASH_KEY: QUERY_KEY }), /configuration: TESSERA_ADMIN_TOKEN is required/);
  });

  it('hashes exactly as before when only the admin token is set', () => {
    expect(gateway({ TESSERA_ADMIN_TOKEN: ADMIN_TOKEN }).queryHashKey).toStrictEqual(keyBefore);
    expect(app({ TESSERA_ADMIN_TOKEN: ADMIN_TOKEN }).queryHashKey).toStrictEqual(keyBefore);
  });

  it('prefers TESSERA_QUERY_HASH_KEY, and the chart\'s adopted value (base64url of the old key) gives the same hashes', () => {
    expect(gateway({ TESSERA_ADMIN_TOKEN: ADMIN_TOKEN, TESSERA_QUERY_HASH_KEY: QUERY_KEY }).queryHashKey).toStrictEqual(Buffer.from(QUERY_KEY, 'base64url'));
    expect(gateway({ TESSERA_QUERY_HASH_KEY: keyBefore.toString('base64url') }).queryHashKey).toStrictEqual(keyBefore);
  });

  it('refuses a key that is short or not base64url', () => {
    for (const bad of ['a'.repeat(31), `${'a'.repeat(32)}+/`, `${'a'.repeat(32)} b`]) {
      assert.throws(() => gateway({ TESSERA_QUERY_HASH_KEY: bad }), /configuration: TESSERA_QUERY_HASH_KEY must be at least 32 base64url characters/, bad);
    }
  });
});
