/**
 * The gateway's per-call directory check against real databases: on PostgreSQL a change committed by
 * another process (another connection pool here) refuses or narrows the caller as soon as its
 * announcement arrives, and until then answers come from memory; on PGlite, which cannot listen, every
 * call reads the database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal, WorkspaceContext } from '@tessera/domain';
import { type Database, inTenantTransaction, openDatabase, ScimDirectoryRepository, UserRepository } from '@tessera/persistence';
import { InvalidationEvents } from '@tessera/server';
import { DirectoryCheck } from '../../apps/mcp-gateway/src/verification/directory-check';
import { openTestDatabase, type DatabaseKind } from '../support/database-harness';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

interface Seeded {
  readonly workspace: WorkspaceContext;
  readonly userId: string;
  readonly roadmapGroupId: string;
}

/** A tenant whose workspace admits SCIM group Engineering; Frank is in Engineering and Roadmap. */
async function seed(database: Database): Promise<Seeded> {
  const q = (sql: string, params: unknown[]) => database.dataSource.query(sql, params);
  const [tenant] = await q(`INSERT INTO tenants (slug, name, api_key_hash) VALUES ($1, 'Acme', $2) RETURNING id`, [`acme-${randomBytes(3).toString('hex')}`, randomBytes(16).toString('hex')]);
  const [workspace] = await q(`INSERT INTO workspaces (tenant_id, slug, name, settings) VALUES ($1, 'handbook', 'Handbook', $2) RETURNING id`, [tenant.id, JSON.stringify({ membership: { scimGroups: ['Engineering'] } })]);
  const [user] = await q(`INSERT INTO users (tenant_id, email, name) VALUES ($1, 'frank@acme.example', 'Frank') RETURNING id`, [tenant.id]);
  const groups: Record<string, string> = {};
  for (const name of ['Engineering', 'Roadmap']) {
    groups[name] = await inTenantTransaction(database.dataSource, tenant.id, async (em) => {
      const [group] = await em.query(`INSERT INTO scim_groups (tenant_id, display_name) VALUES ($1, $2) RETURNING id`, [tenant.id, name]);
      await em.query(`INSERT INTO scim_group_members (group_id, user_id, tenant_id) VALUES ($1, $2, $3)`, [group.id, user.id, tenant.id]);
      return group.id as string;
    });
  }
  const context: WorkspaceContext = {
    workspaceId: workspace.id, workspaceSlug: 'handbook', workspaceName: 'Handbook', tenantId: tenant.id, tenantSlug: 'acme', tenantName: 'Acme', settings: { searchResultLimit: 10 },
  };
  return { workspace: context, userId: user.id, roadmapGroupId: groups.Roadmap! };
}

function oauthUser(userId: string): Principal {
  return { kind: 'user', subject: userId, identifiers: [userId, 'frank@acme.example'], groups: ['Engineering', 'Roadmap'], scopes: ['search'], credentialId: 'grant-1' };
}

function workspaceToken(subject: string, groups: string[]): Principal {
  return { kind: 'workspace-token', subject, identifiers: [subject.toLowerCase()], groups, scopes: ['search'], credentialId: `token-${subject}` };
}

function directoryCheck(database: Database): DirectoryCheck {
  const { dataSource } = database;
  return new DirectoryCheck(dataSource, new UserRepository(dataSource), new ScimDirectoryRepository(dataSource), new InvalidationEvents());
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('DirectoryCheck across processes (postgres)', () => {
  let testDb: TestDatabase;
  let gateway: Database;
  let writer: Database;
  let check: DirectoryCheck;
  let seeded: Seeded;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    gateway = await openDatabase({ databaseUrl: testDb.url, dataDir: '/tmp', migrate: true, poolSize: 4 });
    writer = await openDatabase({ databaseUrl: testDb.url, dataDir: '/tmp', migrate: false, poolSize: 2 });
    seeded = await seed(writer);
    check = directoryCheck(gateway);
  });
  afterAll(async () => {
    await check?.onModuleDestroy();
    await gateway?.close();
    await writer?.close();
    await testDb?.drop();
  });

  /** A directory write by the other process, returned once the gateway heard it announced. */
  async function announced(sql: string, params: unknown[]): Promise<void> {
    await until(() => check.listening, 'the gateway listens for directory changes');
    const heard = check.announcementsHeard;
    await inTenantTransaction(writer.dataSource, seeded.workspace.tenantId, (em) => em.query(sql, params));
    await until(() => check.announcementsHeard > heard, 'the gateway heard the change');
  }

  it('answers from memory while nothing is announced, and narrows the groups once a removal is', async () => {
    const frank = oauthUser(seeded.userId);
    expect((await check.check(frank, seeded.workspace))?.groups).toStrictEqual(['Engineering', 'Roadmap']);
    await until(() => check.listening, 'the gateway listens for directory changes');
    await check.check(frank, seeded.workspace); // read under the live feed: held from now on
    const held = check.check(frank, seeded.workspace);
    assert.ok(!(held instanceof Promise), 'confirmed within the last second: answered from memory');
    await announced(`DELETE FROM scim_group_members WHERE group_id = $1 AND user_id = $2`, [seeded.roadmapGroupId, seeded.userId]);
    const after = check.check(frank, seeded.workspace);
    assert.ok(after instanceof Promise, 'an announced change is read again');
    expect((await after)?.groups).toStrictEqual(['Engineering']);
  });

  it('drops the SCIM groups a person left from tokens issued to them, and leaves other subjects as issued', async () => {
    const issuedToFrank = workspaceToken('Frank@acme.example', ['Engineering', 'Roadmap', 'ops']);
    assert.deepEqual((await check.check(issuedToFrank, seeded.workspace))?.groups, ['Engineering', 'ops'], 'Roadmap was left in the previous test');
    const bot = workspaceToken('reporting-bot', ['Roadmap']);
    expect((await check.check(bot, seeded.workspace))?.groups).toStrictEqual(['Roadmap']);
  });

  it('lets callers that arrive while a read is in flight share it', async () => {
    const users = (check as unknown as { users: UserRepository }).users;
    const read = users.memberStanding.bind(users);
    let reads = 0;
    users.memberStanding = (...args) => {
      reads++;
      return read(...args);
    };
    try {
      await announced(`UPDATE users SET name = 'Frank F.' WHERE id = $1`, [seeded.userId]);
      const answers = await Promise.all(Array.from({ length: 20 }, () => check.check(oauthUser(seeded.userId), seeded.workspace)));
      assert.equal(reads, 1);
      assert.ok(answers.every((a) => a?.groups.join() === 'Engineering'));
    } finally {
      users.memberStanding = read;
    }
  });

  it('refuses a person deactivated by another process on their next call after the announcement', async () => {
    const frank = oauthUser(seeded.userId);
    assert.ok(await check.check(frank, seeded.workspace));
    await announced(`UPDATE users SET active = false WHERE id = $1`, [seeded.userId]);
    assert.equal(await check.check(frank, seeded.workspace), null);
    assert.equal(await check.check(workspaceToken('frank@acme.example', []), seeded.workspace), null);
  });
});

describe('DirectoryCheck without change announcements (pglite)', () => {
  const kind: DatabaseKind = 'pglite';
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let check: DirectoryCheck;
  let seeded: Seeded;

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    seeded = await seed(handle.database);
    check = directoryCheck(handle.database);
  });
  afterAll(async () => {
    await check?.onModuleDestroy();
    await handle?.close();
  });

  it('reads the directory on every call, so a change with no notice in this process shows at once', async () => {
    const frank = oauthUser(seeded.userId);
    for (let i = 0; i < 3; i++) {
      const answer = check.check(frank, seeded.workspace);
      assert.ok(answer instanceof Promise, 'never answered from memory');
      expect((await answer)?.groups).toStrictEqual(['Engineering', 'Roadmap']);
    }
    assert.equal(check.listening, false);
    await handle.database.dataSource.query(`UPDATE workspaces SET settings = '{}' WHERE id = $1`, [seeded.workspace.workspaceId]);
    assert.equal(await check.check(frank, seeded.workspace), null, 'no rule admits Frank any more');
  });
});
