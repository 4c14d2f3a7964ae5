import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { effectiveGroups, type MembershipRule } from '@tessera/domain';
import { UserEntity, WorkspaceMemberEntity } from '../entities';
import { enterWorkspace } from '../workspace-scope';

export interface MemberInput {
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string | null;
  readonly groups: string[];
}

export interface WorkspaceUser {
  readonly user: UserEntity;
  readonly groups: string[];
}

@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates the tenant's user if the email is new and makes them a member of the workspace with
   * these groups. Returns whether the user and the membership were new. A tenant admin's act: it also
   * lifts an earlier removal (removeMember), so that their IdP admits them again.
   */
  async upsertMember(
    tenantId: string,
    workspaceId: string,
    input: MemberInput,
  ): Promise<{ user: UserEntity; createdUser: boolean; createdMembership: boolean }> {
    return this.dataSource.transaction(async (em) => {
      const { user, createdUser } = await lockedUser(em, tenantId, input);
      await enterWorkspace(em, workspaceId);
      await em.query(`DELETE FROM workspace_member_removals WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, user.id]);
      return { user, createdUser, createdMembership: await writeMembership(em, workspaceId, user, input) };
    });
  }

  /**
   * A sign-in through the tenant's IdP provisioning the person (auto-provisioning): upsertMember, except
   * for someone a tenant admin removed from the workspace, who stays removed (`removed`, nothing written)
   * until an admin adds them again.
   */
  async provisionMember(tenantId: string, workspaceId: string, input: MemberInput): Promise<{ user: UserEntity; removed: boolean }> {
    return this.dataSource.transaction(async (em) => {
      const { user } = await lockedUser(em, tenantId, input);
      await enterWorkspace(em, workspaceId);
      const removal: unknown[] = await em.query(`SELECT 1 FROM workspace_member_removals WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, user.id]);
      if (removal.length > 0) return { user, removed: true };
      await writeMembership(em, workspaceId, user, input);
      return { user, removed: false };
    });
  }

  async findMember(workspaceId: string, email: string): Promise<WorkspaceUser | null> {
    const user = await memberUser(this.dataSource.manager, workspaceId, email);
    if (!user) return null;
    const member = await this.dataSource.getRepository(WorkspaceMemberEntity).findOneByOrFail({ workspaceId, userId: user.id });
    return { user, groups: member.groups };
  }

  /**
   * Ends the user's membership of the workspace (the row a tenant admin added) and records the removal,
   * so that their IdP does not provision them again (provisionMember); the user, or null when they had none.
   */
  async removeMember(workspaceId: string, email: string): Promise<UserEntity | null> {
    return this.dataSource.transaction(async (em) => {
      const user = await memberUser(em, workspaceId, email);
      if (!user) return null;
      // The user's row lock orders this against a sign-in provisioning them (lockedUser) at the same time.
      await em.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [user.id]);
      await em.getRepository(WorkspaceMemberEntity).delete({ workspaceId, userId: user.id });
      await enterWorkspace(em, workspaceId);
      await em.query(
        `INSERT INTO workspace_member_removals (workspace_id, user_id) VALUES ($1, $2)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET removed_at = now()`,
        [workspaceId, user.id],
      );
      return user;
    });
  }

  async listMembers(workspaceId: string): Promise<WorkspaceUser[]> {
    const members = await this.dataSource.getRepository(WorkspaceMemberEntity).findBy({ workspaceId });
    if (members.length === 0) return [];
    const users = await this.dataSource.getRepository(UserEntity).findBy({ id: In(members.map((m) => m.userId)) });
    const byId = new Map(users.map((u) => [u.id, u]));
    return members
      .filter((m) => byId.has(m.userId))
      .map((m) => ({ user: byId.get(m.userId)!, groups: m.groups }))
      .sort((a, b) => a.user.email.localeCompare(b.user.email));
  }

  findByEmail(tenantId: string, email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ tenantId, email });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }

  /** The emails of those of these users who are (still) the tenant's, by id. */
  async emailsOf(tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const users = await this.dataSource.getRepository(UserEntity).findBy({ tenantId, id: In([...ids]) });
    return new Map(users.map((u) => [u.id, u.email]));
  }

  /**
   * The user's groups in the workspace, or null when they are not (or no longer) a member: added to it,
   * or in a SCIM group its membership rule names, and not deactivated (`effectiveGroups`). One read.
   */
  async groupsIn(workspaceId: string, userId: string): Promise<string[] | null> {
    return (await this.memberStanding(workspaceId, userId))?.groups ?? null;
  }

  /**
   * groupsIn, with the workspace's settings as stored now, from the same read (the gateway applies the
   * workspace's client policy with them); null when the user is not a member.
   */
  async memberStanding(workspaceId: string, userId: string): Promise<{ groups: string[]; settings: Record<string, unknown> } | null> {
    const rows: Array<{ active: boolean; member_groups: string[] | null; scim_groups: string[]; rule: MembershipRule | null; settings: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT u.active, m.groups AS member_groups, w.settings->'membership' AS rule, w.settings,
              tessera_scim_groups_of(u.tenant_id, u.id) AS scim_groups
         FROM users u
         JOIN workspaces w ON w.id = $1 AND w.tenant_id = u.tenant_id
         LEFT JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = u.id
        WHERE u.id = $2`,
      [workspaceId, userId],
    );
    const row = rows[0];
    if (!row) return null;
    const groups = effectiveGroups({ active: row.active, memberGroups: row.member_groups, scimGroups: row.scim_groups }, row.rule ?? undefined);
    return groups === null ? null : { groups, settings: row.settings };
  }
}

/**
 * The tenant's user with this email, created if new and otherwise renamed (and given the password, if
 * one comes), locked until the transaction ends so that a removal from a workspace and a membership
 * write for the same person happen one after the other.
 */
async function lockedUser(em: EntityManager, tenantId: string, input: MemberInput): Promise<{ user: UserEntity; createdUser: boolean }> {
  const inserted: unknown[] = await em.query(
    `INSERT INTO users (tenant_id, email, name, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, email) DO NOTHING RETURNING id`,
    [tenantId, input.email, input.name, input.passwordHash],
  );
  await em.query(`SELECT 1 FROM users WHERE tenant_id = $1 AND email = $2 FOR UPDATE`, [tenantId, input.email]);
  const user = await em.findOneByOrFail(UserEntity, { tenantId, email: input.email });
  return { user, createdUser: inserted.length > 0 };
}

/** Makes the user a member of the workspace with these groups (renaming them first); whether the membership is new. */
async function writeMembership(em: EntityManager, workspaceId: string, user: UserEntity, input: MemberInput): Promise<boolean> {
  if (user.name !== input.name || input.passwordHash) {
    user.name = input.name;
    if (input.passwordHash) user.passwordHash = input.passwordHash;
    await em.save(user);
  }
  const membership: Array<{ inserted: boolean }> = await em.query(
    `INSERT INTO workspace_members (workspace_id, user_id, groups) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, user_id) DO UPDATE SET groups = EXCLUDED.groups
     RETURNING (xmax = 0) AS inserted`,
    [workspaceId, user.id, input.groups],
  );
  return !!membership[0]?.inserted;
}

/** The tenant user with this email who is a member of the workspace (added by an admin), if any. */
function memberUser(em: EntityManager, workspaceId: string, email: string): Promise<UserEntity | null> {
  return em
    .getRepository(UserEntity)
    .createQueryBuilder('u')
    .innerJoin(WorkspaceMemberEntity, 'm', 'm.user_id = u.id AND m.workspace_id = :workspaceId', { workspaceId })
    .where('u.email = :email', { email })
    .getOne();
}
