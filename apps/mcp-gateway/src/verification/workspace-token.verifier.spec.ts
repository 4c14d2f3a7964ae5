import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { WorkspaceContext } from '@tessera/domain';
import type { AccessTokenEntity, AccessTokenRepository } from '@tessera/persistence';
import { hashSecret, InvalidationEvents } from '@tessera/server';
import { WorkspaceTokenVerifier } from './workspace-token.verifier';

const TOKEN = 'tsr_cached_token_0123456789abcdef';
const HANDBOOK = workspace('ws-handbook');
const FINANCE = workspace('ws-finance');

function workspace(workspaceId: string): WorkspaceContext {
  return { workspaceId, workspaceSlug: workspaceId, workspaceName: workspaceId, tenantId: 't', tenantSlug: 'acme', tenantName: 'Acme', settings: { searchResultLimit: 10 } };
}

/** The token table: active tokens by hash, and how often the verifier read it. */
function tokenTable(overrides: Partial<AccessTokenEntity> = {}) {
  const rows = new Map<string, AccessTokenEntity>();
  const entity = {
    id: 'token-1', workspaceId: HANDBOOK.workspaceId, tokenHash: hashSecret(TOKEN), subject: 'bot@acme.example', groups: ['staff'],
    scopes: ['search', 'fetch'], expiresAt: null, revokedAt: null, createdAt: new Date(), ...overrides,
  } as AccessTokenEntity;
  rows.set(entity.tokenHash, entity);
  const table = {
    reads: 0,
    /** Reads now, answers only when `release` is called. */
    hold: false,
    release: () => undefined as void,
    revoke: () => rows.delete(entity.tokenHash),
    findActiveByHash: async (hash: string) => {
      table.reads++;
      const row = rows.get(hash) ?? null;
      if (table.hold) await new Promise<void>((resolve) => (table.release = resolve));
      return row;
    },
  };
  return { table, repository: table as unknown as AccessTokenRepository, entity };
}

describe('WorkspaceTokenVerifier', () => {
  it('reads the table once, then answers repeat requests at once from the token cache', async () => {
    const { table, repository } = tokenTable();
    const verifier = new WorkspaceTokenVerifier(repository, new InvalidationEvents());
    const first = await verifier.verify(TOKEN, HANDBOOK);
    const second = verifier.verify(TOKEN, HANDBOOK);
    assert.ok(!(second instanceof Promise), 'a verified token is answered synchronously');
    assert.equal(second?.subject, 'bot@acme.example');
    expect(second).toStrictEqual(first);
    assert.equal(table.reads, 1);
  });

  it("refuses a cached token at another workspace's connector", async () => {
    const { repository } = tokenTable();
    const verifier = new WorkspaceTokenVerifier(repository, new InvalidationEvents());
    assert.ok(await verifier.verify(TOKEN, HANDBOOK));
    assert.equal(verifier.verify(TOKEN, FINANCE), null);
  });

  it('refuses a revoked token at once, without waiting for the cache to expire', async () => {
    const { table, repository } = tokenTable();
    const events = new InvalidationEvents();
    const verifier = new WorkspaceTokenVerifier(repository, events);
    assert.ok(await verifier.verify(TOKEN, HANDBOOK));
    table.revoke();
    events.tokenRevoked(hashSecret(TOKEN));
    assert.equal(await verifier.verify(TOKEN, HANDBOOK), null);
    assert.equal(table.reads, 2, 'the revoked token was looked up again');
  });

  it('does not cache a lookup that was in flight while a token was revoked', async () => {
    const { table, repository } = tokenTable();
    const events = new InvalidationEvents();
    const verifier = new WorkspaceTokenVerifier(repository, events);
    table.hold = true;
    const inFlight = verifier.verify(TOKEN, HANDBOOK);
    table.revoke();
    events.tokenRevoked(hashSecret(TOKEN));
    table.release();
    assert.ok(await inFlight, 'read before the revocation: the one answer it may still give');
    table.hold = false;
    assert.equal(await verifier.verify(TOKEN, HANDBOOK), null, 'the next request sees the revocation');
  });

  it('refuses a cached token once it expires', async () => {
    const { repository, entity } = tokenTable({ expiresAt: new Date(Date.now() + 60_000) });
    const verifier = new WorkspaceTokenVerifier(repository, new InvalidationEvents());
    assert.ok(await verifier.verify(TOKEN, HANDBOOK));
    entity.expiresAt = new Date(Date.now() - 1);
    assert.equal(verifier.verify(TOKEN, HANDBOOK), null);
  });

  it('never caches an unknown token', async () => {
    const { table, repository } = tokenTable();
    const verifier = new WorkspaceTokenVerifier(repository, new InvalidationEvents());
    assert.equal(await verifier.verify('tsr_unknown_token_0000000000000000', HANDBOOK), null);
    assert.equal(await verifier.verify('tsr_unknown_token_0000000000000000', HANDBOOK), null);
    assert.equal(table.reads, 2);
  });
});
