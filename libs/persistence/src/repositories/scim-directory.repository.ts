import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { inTenantTransaction } from '../tenant-scope';
import { narrowGrants } from './oidc-model.repository';
import { rowsOf } from './query-rows';

export { rowsOf };

export interface DirectoryUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly externalId: string | null;
  readonly active: boolean;
  readonly scim: Record<string, unknown>;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DirectoryGroup {
  readonly id: string;
  readonly displayName: string;
  readonly externalId: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DirectoryUserInput {
  readonly email: string;
  readonly name: string;
  readonly externalId: string | null;
  readonly active: boolean;
  readonly scim: Record<string, unknown>;
}

export interface DirectoryGroupInput {
  readonly displayName: string;
  readonly externalId: string | null;
  readonly memberIds: readonly string[];
}

/** One equality a SCIM filter may ask for; values are compared as the SCIM schema says (userName ignores case). */
export interface DirectoryFilter {
  readonly attribute: 'id' | 'userName' | 'externalId' | 'displayName';
  readonly value: string;
}

export interface DirectoryPage<T> {
  readonly total: number;
  readonly items: T[];
}

/** The outcome of a conditional write: done, no such resource, or another write came first. */
export type VersionedWrite<T> = { kind: 'written'; value: T } | { kind: 'not_found' } | { kind: 'version_changed' };

const USER_COLUMNS = `id, email, name, external_id AS "externalId", active, scim, version, created_at AS "createdAt", updated_at AS "updatedAt"`;
const GROUP_COLUMNS = `id, display_name AS "displayName", external_id AS "externalId", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

const USER_FILTER_SQL: Record<DirectoryFilter['attribute'], string> = {
  id: 'id::text = $2',
  userName: 'email = lower($2)',
  externalId: 'external_id = $2',
  displayName: 'lower(name) = lower($2)',
};
const GROUP_FILTER_SQL: Record<DirectoryFilter['attribute'], string> = {
  id: 'id::text = $2',
  userName: 'false',
  externalId: 'external_id = $2',
  displayName: 'lower(display_name) = lower($2)',
};

/**
 * A tenant's directory as SCIM sees it: users (the tenant's users), groups and group members. Every
 * method takes the tenant id; there is no unscoped path, and the group tables are read and written
 * only inside the tenant's row-security scope (migration 1766100000000). Conditional writes compare
 * `version`, which every write raises (the resources' ETags).
 */
@Injectable()
export class ScimDirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listUsers(tenantId: string, filter: DirectoryFilter | undefined, offset: number, limit: number): Promise<DirectoryPage<DirectoryUser>> {
    return this.page(this.dataSource.manager, 'users', USER_COLUMNS, filter ? USER_FILTER_SQL[filter.attribute] : 'true', 'email', tenantId, filter, offset, limit);
  }

  async findUser(tenantId: string, id: string): Promise<DirectoryUser | null> {
    const rows: DirectoryUser[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ?? null;
  }

  /** Throws a unique violation (isUniqueViolation) when the tenant has a user with that email already. */
  async createUser(tenantId: string, input: DirectoryUserInput): Promise<DirectoryUser> {
    const rows: DirectoryUser[] = await this.dataSource.query(
      `INSERT INTO users (tenant_id, email, name, external_id, active, scim) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
      [tenantId, input.email, input.name, input.externalId, input.active, JSON.stringify(input.scim)],
    );
    return rows[0]!;
  }

  async replaceUser(tenantId: string, id: string, input: DirectoryUserInput, expectedVersion: number): Promise<VersionedWrite<DirectoryUser>> {
    const rows = rowsOf<DirectoryUser>(await this.dataSource.query(
      `UPDATE users SET email = $4, name = $5, external_id = $6, active = $7, scim = $8, version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND version = $3 RETURNING ${USER_COLUMNS}`,
      [tenantId, id, expectedVersion, input.email, input.name, input.externalId, input.active, JSON.stringify(input.scim)],
    ));
    if (rows[0]) return { kind: 'written', value: rows[0] };
    return (await this.findUser(tenantId, id)) ? { kind: 'version_changed' } : { kind: 'not_found' };
  }

  async deleteUser(tenantId: string, id: string): Promise<boolean> {
    const rows = rowsOf(await this.dataSource.query(`DELETE FROM users WHERE tenant_id = $1 AND id = $2 RETURNING id`, [tenantId, id]));
    return rows.length > 0;
  }

  /** The groups each of these users is in (read-only `groups` of a SCIM user). */
  async groupsOfUsers(tenantId: string, userIds: readonly string[]): Promise<Map<string, Array<{ id: string; displayName: string }>>> {
    const rows: Array<{ user_id: string; id: string; display_name: string }> = await this.scoped(tenantId, (em) => em.query(
      `SELECT sm.user_id, g.id, g.display_name FROM scim_group_members sm JOIN scim_groups g ON g.id = sm.group_id
        WHERE sm.tenant_id = $1 AND sm.user_id = ANY($2::uuid[]) ORDER BY g.display_name`,
      [tenantId, userIds],
    ));
    return groupBy(rows, (r) => r.user_id, (r) => ({ id: r.id, displayName: r.display_name }));
  }

  async listGroups(tenantId: string, filter: DirectoryFilter | undefined, offset: number, limit: number): Promise<DirectoryPage<DirectoryGroup>> {
    return this.scoped(tenantId, (em) => this.page(em, 'scim_groups', GROUP_COLUMNS, filter ? GROUP_FILTER_SQL[filter.attribute] : 'true', 'display_name', tenantId, filter, offset, limit));
  }

  async findGroup(tenantId: string, id: string): Promise<DirectoryGroup | null> {
    const rows: DirectoryGroup[] = await this.scoped(tenantId, (em) => em.query(`SELECT ${GROUP_COLUMNS} FROM scim_groups WHERE tenant_id = $1 AND id = $2`, [tenantId, id]));
    return rows[0] ?? null;
  }

  /** The members of each group, with their userName. */
  async membersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, Array<{ id: string; email: string }>>> {
    const rows: Array<{ group_id: string; id: string; email: string }> = await this.scoped(tenantId, (em) => em.query(
      `SELECT sm.group_id, u.id, u.email FROM scim_group_members sm JOIN users u ON u.id = sm.user_id
        WHERE sm.tenant_id = $1 AND sm.group_id = ANY($2::uuid[]) ORDER BY u.email`,
      [tenantId, groupIds],
    ));
    return groupBy(rows, (r) => r.group_id, (r) => ({ id: r.id, email: r.email }));
  }

  /** Which of these ids are not users of the tenant (members must be). */
  async unknownUsers(tenantId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, ids]);
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !known.has(id));
  }

  /** Throws a unique violation when the tenant has a group with that display name already. */
  async createGroup(tenantId: string, input: DirectoryGroupInput): Promise<DirectoryGroup> {
    return this.scoped(tenantId, async (em) => {
      const rows: DirectoryGroup[] = await em.query(
        `INSERT INTO scim_groups (tenant_id, display_name, external_id) VALUES ($1, $2, $3) RETURNING ${GROUP_COLUMNS}`,
        [tenantId, input.displayName, input.externalId],
      );
      await setMembers(em, tenantId, rows[0]!.id, input.memberIds);
      return rows[0]!;
    });
  }

  async replaceGroup(tenantId: string, id: string, input: DirectoryGroupInput, expectedVersion: number): Promise<VersionedWrite<DirectoryGroup>> {
    const written = await this.scoped(tenantId, async (em) => {
      const rows = rowsOf<DirectoryGroup>(await em.query(
        `UPDATE scim_groups SET display_name = $4, external_id = $5, version = version + 1, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND version = $3 RETURNING ${GROUP_COLUMNS}`,
        [tenantId, id, expectedVersion, input.displayName, input.externalId],
      ));
      if (rows[0]) await setMembers(em, tenantId, id, input.memberIds);
      return rows[0];
    });
    if (written) return { kind: 'written', value: written };
    return (await this.findGroup(tenantId, id)) ? { kind: 'version_changed' } : { kind: 'not_found' };
  }

  async deleteGroup(tenantId: string, id: string): Promise<boolean> {
    const rows = rowsOf(await this.scoped(tenantId, (em) => em.query(`DELETE FROM scim_groups WHERE tenant_id = $1 AND id = $2 RETURNING id`, [tenantId, id])));
    return rows.length > 0;
  }

  /**
   * Ends everything a person was given, in one transaction: the workspace access tokens issued to them
   * (subject = their email) in any of the tenant's workspaces, and their OAuth grants with every code,
   * access and refresh token issued under them, their sign-in sessions and their console sessions. Returns
   * what was revoked, for the caches that hold it.
   *
   * With `workspace` (removed from one workspace, still a person of the tenant): only that workspace's
   * access tokens, and only the consent for its connector URL (`resource`): a grant that covers other
   * workspaces too keeps them and loses only this one (narrowGrants, `narrowedGrantIds`); sign-in
   * sessions stay, since they admit the person nowhere they are not a member.
   */
  async revokeCredentialsOf(
    tenantId: string,
    userId: string,
    email: string,
    workspace?: { id: string; resource: string },
  ): Promise<{ tokenHashes: string[]; grantIds: string[]; narrowedGrantIds: string[] }> {
    return this.dataSource.transaction(async (em) => {
      const tokens = rowsOf<{ token_hash: string }>(await em.query(
        `UPDATE workspace_access_tokens SET revoked_at = now()
          WHERE revoked_at IS NULL AND lower(subject) = lower($2)
            AND workspace_id IN (SELECT id FROM workspaces WHERE tenant_id = $1 AND ($3::uuid IS NULL OR id = $3::uuid))
          RETURNING token_hash`,
        [tenantId, email, workspace?.id ?? null],
      ));
      const grants: Array<{ id: string }> = await em.query(
        `SELECT id FROM oidc_models WHERE kind = 'Grant' AND payload->>'accountId' = $1
            AND ($2::text IS NULL OR jsonb_exists(payload->'resources', $2::text))`,
        [userId, workspace?.resource ?? null],
      );
      const narrowedGrantIds = workspace ? await narrowGrants(em, grants.map((g) => g.id), workspace.resource) : [];
      const grantIds = grants.map((g) => g.id).filter((id) => !narrowedGrantIds.includes(id));
      await em.query(
        `DELETE FROM oidc_models WHERE grant_id = ANY($1::text[]) OR (kind = 'Grant' AND id = ANY($1::text[]))
            OR (kind = 'Session' AND payload->>'accountId' = $2 AND $3::bool)`,
        [grantIds, userId, workspace === undefined],
      );
      // Deprovisioned (not removed from one workspace): their console sessions end too.
      if (workspace === undefined) await em.query('DELETE FROM console_sessions WHERE user_id = $1', [userId]);
      return { tokenHashes: tokens.map((t) => t.token_hash), grantIds, narrowedGrantIds };
    });
  }

  /**
   * What the directory says of a workspace access token's subject: null when no user of the tenant has
   * that email (the token is not the directory's to govern); else whether the user is active and which
   * of the token's groups are SCIM groups the user is no longer in.
   */
  async subjectStanding(tenantId: string, subject: string, tokenGroups: readonly string[]): Promise<{ active: boolean; lapsedGroups: string[] } | null> {
    const rows: Array<{ active: boolean; named: string[]; member_of: string[] }> = await this.dataSource.query(
      `SELECT u.active, tessera_scim_group_names($1, $3::text[]) AS named, tessera_scim_groups_of($1, u.id) AS member_of
         FROM users u WHERE u.tenant_id = $1 AND u.email = lower($2)`,
      [tenantId, subject.trim(), tokenGroups],
    );
    const row = rows[0];
    return row ? { active: row.active, lapsedGroups: row.named.filter((name) => !row.member_of.includes(name)) } : null;
  }

  /** Reads and writes of the group tables happen inside the tenant's row-security scope. */
  private scoped<T>(tenantId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return inTenantTransaction(this.dataSource, tenantId, work);
  }

  private async page<T>(db: EntityManager, table: string, columns: string, where: string, orderBy: string, tenantId: string, filter: DirectoryFilter | undefined, offset: number, limit: number): Promise<DirectoryPage<T>> {
    const params: unknown[] = [tenantId, filter?.value ?? null, offset, limit];
    const rows: Array<T & { total: string }> = await db.query(
      `SELECT ${columns}, count(*) OVER () AS total FROM ${table} WHERE tenant_id = $1 AND ($2::text IS NULL OR ${where})
        ORDER BY ${orderBy}, id OFFSET $3 LIMIT $4`,
      params,
    );
    if (rows.length > 0 || offset === 0) return { total: Number(rows[0]?.total ?? 0), items: rows.map(({ total: _total, ...item }) => item as unknown as T) };
    // Past the end: the window count is unknown without a row, so count alone.
    const [count] = (await db.query(`SELECT count(*) AS total FROM ${table} WHERE tenant_id = $1 AND ($2::text IS NULL OR ${where})`, [tenantId, filter?.value ?? null])) as Array<{ total: string }>;
    return { total: Number(count?.total ?? 0), items: [] };
  }
}

async function setMembers(em: EntityManager, tenantId: string, groupId: string, memberIds: readonly string[]): Promise<void> {
  await em.query(`DELETE FROM scim_group_members WHERE group_id = $1 AND NOT (user_id = ANY($2::uuid[]))`, [groupId, memberIds]);
  await em.query(
    `INSERT INTO scim_group_members (group_id, user_id, tenant_id)
     SELECT $1, u.id, $2 FROM users u WHERE u.tenant_id = $2 AND u.id = ANY($3::uuid[])
     ON CONFLICT DO NOTHING`,
    [groupId, tenantId, memberIds],
  );
}

function groupBy<R, V>(rows: R[], key: (row: R) => string, value: (row: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) {
    const list = map.get(key(row)) ?? [];
    list.push(value(row));
    map.set(key(row), list);
  }
  return map;
}
