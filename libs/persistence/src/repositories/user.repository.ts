import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { effectiveGroups, type MembershipRule } from '@tessera/domain';
import { UserEntity, WorkspaceMemberEntity } from '../entities';

export interface WorkspaceUser {
  readonly user: UserEntity;
  readonly groups: string[];
}

@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Creates the tenant's user if the email is new and makes them a member of the workspace with
   * these groups. Returns whether the user and the membership were new.
   */
  async upsertMember(
    tenantId: string,
    workspaceId: string,
    input: { email: string; name: string; passwordHash: string | null; groups: string[] },
  ): Promise<{ user: UserEntity; createdUser: boolean; createdMembership: boolean }> {
    return this.dataSource.transaction(async (em) => {
      const inserted: UserEntity[] = await em.query(
        `INSERT INTO users (tenant_id, email, name, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, email) DO NOTHING RETURNING id`,
        [tenantId, input.email, input.name, input.passwordHash],
      );
      const createdUser = inserted.length > 0;
      const user = await em.findOneByOrFail(UserEntity, { tenantId, email: input.email });
      if (!createdUser) {
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
      return { user, createdUser, createdMembership: !!membership[0]?.inserted };
    });
  }

  async findMember(workspaceId: string, email: string): Promise<WorkspaceUser | null> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .innerJoin(WorkspaceMemberEntity, 'm', 'm.user_id = u.id AND m.workspace_id = :workspaceId', { workspaceId })
      .where('u.email = :email', { email })
      .getOne();
    if (!user) return null;
    const member = await this.dataSource.getRepository(WorkspaceMemberEntity).findOneByOrFail({ workspaceId, userId: user.id });
    return { user, groups: member.groups };
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
