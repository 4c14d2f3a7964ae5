import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { AuditRepository } from '@tessera/persistence';
import { loadPlatformConfig } from '@tessera/server';
import { ToolAuditLog } from './tool-audit-log';

const ADMIN_TOKEN = 'tsa_admin-token-0123456789abcdef';
const QUERY = 'quarterly revenue forecast';
/** What the gateway recorded for QUERY under ADMIN_TOKEN before TESSERA_QUERY_HASH_KEY existed (computed with that code). */
const HASH_BEFORE = '-eIk0tgv0eG4ML6-MkUN95';

const fingerprint = (env: Record<string, string>) => {
  const config = loadPlatformConfig({ DATA_DIR: '/tmp/tessera-audit-spec', ...env }, { allowGeneratedAdminToken: false, adminTokenOrQueryHashKey: true });
  // queryFingerprint never touches the repository: a stand-in for it, so no database is needed here.
  const log = new ToolAuditLog(null as unknown as AuditRepository, config);
  void log.onApplicationShutdown();
  return log.queryFingerprint(QUERY);
};

describe('ToolAuditLog query fingerprints (repository stand-in: only hashing is exercised)', () => {
  it('hashes exactly as before when only the admin token is set', () => {
    expect(fingerprint({ TESSERA_ADMIN_TOKEN: ADMIN_TOKEN })).toStrictEqual({ queryHash: HASH_BEFORE, queryLength: QUERY.length });
  });

  it('hashes with TESSERA_QUERY_HASH_KEY when given, without the admin token', () => {
    const own = fingerprint({ TESSERA_QUERY_HASH_KEY: 'q'.repeat(43) });
    assert.notEqual(own.queryHash, HASH_BEFORE);
    assert.doesNotMatch(JSON.stringify(own), /quarterly/, 'never the raw query');
    assert.deepEqual(fingerprint({ TESSERA_QUERY_HASH_KEY: 'q'.repeat(43), TESSERA_ADMIN_TOKEN: ADMIN_TOKEN }), own, 'the dedicated key wins');
  });
});
