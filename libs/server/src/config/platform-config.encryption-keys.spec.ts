import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { SecretBox } from '../security/secret-box';
import { loadPlatformConfig } from './platform-config';

const BASE = { TESSERA_ADMIN_TOKEN: 'tsa_admin-token-0123456789abcdef', DATA_DIR: '/tmp/tessera-config-spec' };
const load = (env: Record<string, string>) => loadPlatformConfig({ ...BASE, ...env }, { allowGeneratedAdminToken: false });

describe('encryption key rotation settings', () => {
  it('reads TESSERA_PREVIOUS_ENCRYPTION_KEYS as a comma-separated list, none by default', () => {
    expect(load({ TESSERA_ENCRYPTION_KEY: 'n'.repeat(32) }).previousEncryptionKeys).toStrictEqual([]);
    const config = load({ TESSERA_ENCRYPTION_KEY: 'n'.repeat(32), TESSERA_PREVIOUS_ENCRYPTION_KEYS: ` ${'a'.repeat(32)}, ${'b'.repeat(40)} ,` });
    expect(config.previousEncryptionKeys).toStrictEqual(['a'.repeat(32), 'b'.repeat(40)]);
  });

  it('refuses a previous key shorter than 32 characters', () => {
    assert.throws(() => load({ TESSERA_PREVIOUS_ENCRYPTION_KEYS: `${'a'.repeat(32)},short` }), /TESSERA_PREVIOUS_ENCRYPTION_KEYS entries must be at least 32 characters/);
  });

  it('moves from the key derived from the admin token to a key of its own without losing sealed secrets', () => {
    const before = load({});
    const sealed = new SecretBox(before.encryptionKey).seal('client-secret');
    const after = load({ TESSERA_ENCRYPTION_KEY: 'n'.repeat(32), TESSERA_PREVIOUS_ENCRYPTION_KEYS: before.encryptionKey });
    assert.equal(new SecretBox(after.encryptionKey, after.previousEncryptionKeys).open(sealed), 'client-secret');
  });
});
