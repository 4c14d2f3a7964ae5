/**
 * Isolation in depth (issue 4, scope 6): PostgreSQL row-level security keeps a query that forgets its
 * `WHERE workspace_id` inside one workspace — on a real server as an ordinary role, and on the embedded
 * PGlite, whose session acts as an ordinary role too.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  inTenantTransaction, inWorkspaceTransaction, readInWorkspace, rowSecurityBypassed, ScimDirectoryRepository, ScimTokenRepository, SyncRepository,
  UserRepository, type Database,
} from '@tessera/persistence';
import { PostgresSearchBackend, prepareDocument } from '@tessera/search';
import { insertWorkspace, openTestDatabase, type DatabaseKind } from '../support/database-harness';

const TABLES = ['documents', 'posting_blocks', 'workspace_search_stats', 'sync_runs', 'document_sources', 'source_cursors', 'workspace_member_removals'];
const SYNC_TABLES = ['sync_runs', 'document_sources', 'source_cursors'];
/** Tenant-scoped (migration 1766100000000): visible only inside a transaction that named their tenant. */
const SCIM_TABLES = ['scim_groups', 'scim_group_members', 'scim_tokens'];

interface ScimSeed {
  readonly tenant: string;
  readonly userId: string;
  readonly groupId: string;
  readonly tokenHash: string;
}

for (const kind of ['postgres', 'pglite'] as DatabaseKind[]) {
  describe(`workspace row-level security (${kind === 'postgres' ? 'real PostgreSQL, ordinary role' : 'embedded PGlite'})`, () => {
    let database: Database;
    let close: () => Promise<void>;
    let a: string;
    let b: string;
    let scimA: ScimSeed;
    let scimB: ScimSeed;

    beforeAll(async () => {
      ({ database, close } = await openTestDatabase(kind));
      const backend = new PostgresSearchBackend(database.dataSource);
      a = await insertWorkspace(database);
      b = await insertWorkspace(database);
      await backend.upsert(a, [prepareDocument({ id: 'a-1', title: 'Alpha plan', text: 'Only workspace A may read this.' })]);
      await backend.upsert(b, [prepareDocument({ id: 'b-1', title: 'Beta plan', text: 'Only workspace B may read this.' }),
        prepareDocument({ id: 'b-2', title: 'Beta budget', text: 'Also B.' })]);
      const sync = new SyncRepository(database.dataSource);
      for (const [workspace, doc] of [[a, 'a-1'], [b, 'b-1']] as const) {
        const run = await sync.open(workspace, 'drive', 3600);
        await sync.markSeen(run!, [doc]);
        await sync.putCursor(workspace, 'drive', `cursor-${doc}`);
      }
      const directory = new ScimDirectoryRepository(database.dataSource);
      const tokens = new ScimTokenRepository(database.dataSource);
      const seedScim = async (workspace: string, name: string): Promise<ScimSeed> => {
        const [{ tenant_id: tenant }] = await database.dataSource.query(`SELECT tenant_id FROM workspaces WHERE id = $1`, [workspace]);
        const user = await directory.createUser(tenant, { email: `${name}@example.com`, name, externalId: null, active: true, scim: {} });
        const group = await directory.createGroup(tenant, { displayName: `${name}-team`, externalId: null, memberIds: [user.id] });
        await tokens.create(tenant, `hash-of-${name}`, name);
        return { tenant, userId: user.id, groupId: group.id, tokenHash: `hash-of-${name}` };
      };
      scimA = await seedScim(a, 'ann');
      // A removal recorded in each workspace (migration 1766200000000).
      const users = new UserRepository(database.dataSource);
      for (const workspace of [a, b]) {
        const [{ tenant_id: tenant }] = await database.dataSource.query(`SELECT tenant_id FROM workspaces WHERE id = $1`, [workspace]);
        await users.upsertMember(tenant, workspace, { email: 'gone@example.com', name: 'Gone', passwordHash: null, groups: [] });
        assert.ok(await users.removeMember(workspace, 'gone@example.com'));
      }
      scimB = await seedScim(b, 'bob');
    });
    afterAll(async () => close?.());

    it('connects as a role that row security applies to', async () => {
      assert.equal(await rowSecurityBypassed(database.dataSource), false);
    });

    it('enables and forces row security on every workspace and SCIM table', async () => {
      const all = [...TABLES, ...SCIM_TABLES];
      const rows: Array<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }> = await database.dataSource.query(
        `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
        [all],
      );
      expect(rows.map((r) => [r.relname, r.relrowsecurity, r.relforcerowsecurity])).toStrictEqual([...all].sort().map((t) => [t, true, true]));
    });

    it('shows nothing outside a workspace or tenant scope, even to a query without a WHERE', async () => {
      for (const table of [...TABLES, ...SCIM_TABLES]) {
        const [row] = await database.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
        assert.equal(row.n, 0, table);
      }
    });

    it('shows only the scoped workspace to a query that forgets its WHERE', async () => {
      const ids = await readInWorkspace(database.dataSource, b, (db) => db.query<{ external_id: string }>(`SELECT external_id FROM documents ORDER BY 1`));
      expect(ids.map((r) => r.external_id)).toStrictEqual(['b-1', 'b-2']);
      const postings = await readInWorkspace(database.dataSource, a, (db) => db.query<{ n: number }>(`SELECT count(DISTINCT workspace_id)::int AS n FROM posting_blocks`));
      assert.equal(postings[0]!.n, 1);
    });

    it("refuses to write a row into another workspace than the scope's", async () => {
      await assert.rejects(
        inWorkspaceTransaction(database.dataSource, a, (em) =>
          em.query(`INSERT INTO documents (workspace_id, external_id, title, text, content_hash) VALUES ($1, 'smuggled', 't', 'x', 'h')`, [b]),
        ),
        /row-level security/,
      );
      const moved = await inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`UPDATE documents SET title = 'renamed' WHERE workspace_id = $1`, [b]));
      assert.equal(moved[1], 0, 'an update aimed at another workspace touches nothing');
      const [row] = await readInWorkspace(database.dataSource, b, (db) => db.query<{ title: string }>(`SELECT title FROM documents WHERE external_id = 'b-1'`));
      assert.equal(row!.title, 'Beta plan');
    });

    it("answers the gateway's one-round-trip reads within their own workspace, and leaves no scope behind", async () => {
      const mine = await database.dataSource.query(`SELECT external_id FROM tessera_document($1, 'b-1', NULL, NULL)`, [b]);
      expect(mine.map((r: { external_id: string }) => r.external_id)).toStrictEqual(['b-1']);
      expect(await database.dataSource.query(`SELECT external_id FROM tessera_document($1, 'b-1', NULL, NULL)`, [a])).toStrictEqual([]);
      const [{ pk }] = await database.dataSource.query(`SELECT pk FROM tessera_document($1, 'b-1', NULL, NULL)`, [b]);
      const candidates = await database.dataSource.query(`SELECT id FROM tessera_readable_candidates($1, $2, '{}', '{}')`, [a, [pk]]);
      assert.deepEqual(candidates.map((r: { id: string | null }) => r.id), [null], "another workspace's document is not a candidate here");
      await assert.rejects(
        readInWorkspace(database.dataSource, a, (db) => db.query(`SELECT * FROM tessera_document($1, 'b-1', NULL, NULL)`, [b])),
        /scoped to another workspace/,
        'a transaction scoped to one workspace cannot be moved to another',
      );
      const [row] = await database.dataSource.query(`SELECT NULLIF(current_setting('tessera.workspace_id', true), '') AS ws, count(*)::int AS n FROM documents`);
      expect([row.ws, row.n]).toStrictEqual([null, 0]);
    });

    it("keeps each workspace's sync runs, document sources and cursors to itself", async () => {
      for (const table of SYNC_TABLES) {
        const seen = await readInWorkspace(database.dataSource, a, (db) => db.query<{ workspace_id: string }>(`SELECT DISTINCT workspace_id FROM ${table}`));
        assert.deepEqual(seen.map((r) => r.workspace_id), [a], `${table}: a query without a WHERE sees only its workspace`);
        const changed = await inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`UPDATE ${table} SET workspace_id = workspace_id WHERE workspace_id = $1`, [b]));
        assert.equal(changed[1], 0, `${table}: an update aimed at another workspace touches nothing`);
        const deleted = await inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [b]));
        assert.equal(deleted[1], 0, `${table}: a delete aimed at another workspace touches nothing`);
      }
      await assert.rejects(
        inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`INSERT INTO source_cursors (workspace_id, source, cursor) VALUES ($1, 'drive', 'forged')`, [b])),
        /row-level security/,
      );
      await assert.rejects(
        inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`INSERT INTO sync_runs (workspace_id, source, expires_at) VALUES ($1, 'other', now())`, [b])),
        /row-level security/,
      );
      const sync = new SyncRepository(database.dataSource);
      assert.equal((await sync.cursor(b, 'drive'))?.cursor, 'cursor-b-1', "B's cursor is intact");
      const [runB] = await sync.list(b, 10);
      assert.equal(runB?.state, 'open', "B's run is intact");
      assert.equal(await sync.find(a, runB!.id), null, "A cannot find B's run by id");
      assert.deepEqual(await sync.reconcile(runB!), { total: 1, seen: 1, unseen: [] }, "B's document source is intact");
    });

    it("keeps each workspace's recorded removals to itself, and the member repository reads them in scope", async () => {
      const seen = await readInWorkspace(database.dataSource, a, (db) => db.query<{ workspace_id: string }>(`SELECT DISTINCT workspace_id FROM workspace_member_removals`));
      expect(seen.map((r) => r.workspace_id)).toStrictEqual([a]);
      const [{ user_id: userId }] = await readInWorkspace(database.dataSource, b, (db) => db.query<{ user_id: string }>(`SELECT user_id FROM workspace_member_removals`));
      await assert.rejects(
        inWorkspaceTransaction(database.dataSource, a, (em) => em.query(`INSERT INTO workspace_member_removals (workspace_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [b, userId])),
        /row-level security/,
      );
      const users = new UserRepository(database.dataSource);
      const [{ tenant_id: tenant }] = await database.dataSource.query(`SELECT tenant_id FROM workspaces WHERE id = $1`, [a]);
      const input = { email: 'gone@example.com', name: 'Gone', passwordHash: null, groups: [] };
      assert.equal((await users.provisionMember(tenant, a, input)).removed, true, 'a sign-in does not provision them again');
      assert.equal(await users.groupsIn(a, (await users.findByEmail(tenant, 'gone@example.com'))!.id), null, 'and not a member');
      await users.upsertMember(tenant, a, input);
      assert.equal((await users.provisionMember(tenant, a, input)).removed, false, 'an admin adding them lifts the removal');
      await users.removeMember(a, 'gone@example.com');
    });

    it("keeps each tenant's SCIM groups, memberships and tokens to itself", async () => {
      for (const table of SCIM_TABLES) {
        const seen = await inTenantTransaction(database.dataSource, scimA.tenant, (em) => em.query(`SELECT DISTINCT tenant_id FROM ${table}`));
        assert.deepEqual(seen.map((r: { tenant_id: string }) => r.tenant_id), [scimA.tenant], `${table}: a query without a WHERE sees only its tenant`);
        const changed = await inTenantTransaction(database.dataSource, scimA.tenant, (em) => em.query(`UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = $1`, [scimB.tenant]));
        assert.equal(changed[1], 0, `${table}: an update aimed at another tenant touches nothing`);
        const deleted = await inTenantTransaction(database.dataSource, scimA.tenant, (em) => em.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [scimB.tenant]));
        assert.equal(deleted[1], 0, `${table}: a delete aimed at another tenant touches nothing`);
        const fromWorkspace = await inWorkspaceTransaction(database.dataSource, b, (em) => em.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1`, [scimB.tenant]));
        assert.equal(fromWorkspace.length, 0, `${table}: a workspace scope is not a tenant scope`);
      }
      await assert.rejects(
        inTenantTransaction(database.dataSource, scimA.tenant, (em) => em.query(`INSERT INTO scim_groups (tenant_id, display_name) VALUES ($1, 'smuggled')`, [scimB.tenant])),
        /row-level security/,
      );
      await assert.rejects(
        inTenantTransaction(database.dataSource, scimA.tenant, (em) => em.query(`INSERT INTO scim_group_members (group_id, user_id, tenant_id) VALUES ($1, $2, $3)`, [scimB.groupId, scimA.userId, scimB.tenant])),
        /row-level security/,
      );
      await assert.rejects(
        inTenantTransaction(database.dataSource, scimA.tenant, (em) => em.query(`INSERT INTO scim_tokens (tenant_id, token_hash) VALUES ($1, 'forged')`, [scimB.tenant])),
        /row-level security/,
      );
      await assert.rejects(inTenantTransaction(database.dataSource, "x'); DROP TABLE scim_tokens; --", async () => 1), /not a tenant id/);
    });

    it('lets the SCIM repositories and the directory reads work inside their tenant only', async () => {
      const directory = new ScimDirectoryRepository(database.dataSource);
      const tokens = new ScimTokenRepository(database.dataSource);
      expect((await directory.listGroups(scimB.tenant, undefined, 0, 10)).items.map((g) => g.displayName)).toStrictEqual(['bob-team']);
      assert.equal(await directory.findGroup(scimA.tenant, scimB.groupId), null, "A cannot find B's group by id");
      assert.equal(await directory.deleteGroup(scimA.tenant, scimB.groupId), false, "A cannot delete B's group");
      expect([...(await directory.membersOf(scimB.tenant, [scimB.groupId])).values()].flat().map((m) => m.email)).toStrictEqual(['bob@example.com']);
      expect(await directory.subjectStanding(scimB.tenant, 'bob@example.com', ['bob-team', 'ann-team', 'ops'])).toStrictEqual({ active: true, lapsedGroups: [] });
      await database.dataSource.query(`UPDATE workspaces SET settings = $2 WHERE id = $1`, [b, JSON.stringify({ membership: { scimGroups: ['bob-team'] } })]);
      assert.deepEqual(await new UserRepository(database.dataSource).groupsIn(b, scimB.userId), ['bob-team'], "a workspace admits its tenant's SCIM group");
      const [{ groups }] = await database.dataSource.query(`SELECT tessera_scim_groups_of($1, $2) AS groups`, [scimB.tenant, scimB.userId]);
      expect(groups).toStrictEqual(['bob-team']);
      await assert.rejects(
        inTenantTransaction(database.dataSource, scimA.tenant, (em) => em.query(`SELECT tessera_scim_groups_of($1, $2)`, [scimB.tenant, scimB.userId])),
        /scoped to another tenant/,
        'a transaction scoped to one tenant cannot be moved to another',
      );
      assert.equal((await tokens.findActiveByHash(scimB.tokenHash))?.tenantId, scimB.tenant, 'a presented token names its tenant');
      assert.equal(await tokens.findActiveByHash('hash-of-nobody'), null);
      expect((await tokens.list(scimA.tenant)).map((t) => t.label)).toStrictEqual(['ann']);
      assert.equal(await tokens.revoke(scimA.tenant, (await tokens.findActiveByHash(scimB.tokenHash))!.id), null, "A cannot revoke B's token");
      const [row] = await database.dataSource.query(
        `SELECT NULLIF(current_setting('tessera.scim_token_hash', true), '') AS presented, NULLIF(current_setting('tessera.tenant_id', true), '') AS tenant, count(*)::int AS n FROM scim_tokens`,
      );
      assert.deepEqual([row.presented, row.tenant, row.n], [null, null, 0], 'no scope is left behind on a pooled connection');
    });

    it('scopes only to well-formed workspace ids', async () => {
      await assert.rejects(readInWorkspace(database.dataSource, "x'); DROP TABLE documents; --", async () => 1), /not a workspace id/);
    });

    it('leaves no workspace scope on a pooled connection after a read', async () => {
      await readInWorkspace(database.dataSource, a, (db) => db.query(`SELECT 1`));
      const [row] = await database.dataSource.query(`SELECT NULLIF(current_setting('tessera.workspace_id', true), '') AS ws, count(*)::int AS n FROM documents`);
      assert.equal(row.ws, null);
      assert.equal(row.n, 0);
    });
  });
}
