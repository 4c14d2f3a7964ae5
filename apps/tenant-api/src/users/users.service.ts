import { Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { normalizeUserIdentifier } from '@tessera/domain';
import { AuditRepository, UserRepository, WorkspaceUser } from '@tessera/persistence';
import { InvalidationEvents } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import type { CreateUserDto } from './dto/user.dto';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class UsersService {
  constructor(
    private readonly access: TenantAccessService,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly events: InvalidationEvents,
  ) {}

  async addToWorkspace(
    actor: Actor,
    tenantSlug: string,
    workspaceSlug: string,
    input: CreateUserDto,
  ): Promise<{ member: WorkspaceUser; created: boolean }> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const email = normalizeUserIdentifier(input.email);
    const passwordHash = input.password ? await hash(input.password, ARGON2_OPTIONS) : null;
    const groups = [...new Set(input.groups ?? [])].sort();
    const result = await this.users.upsertMember(tenant.id, workspace.id, { email, name: input.name, passwordHash, groups });
    this.events.directoryChanged(tenant.id); // the member's groups, for gateways in this process
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'user.upsert',
      outcome: result.createdMembership ? 'created' : 'updated',
      details: { userId: result.user.id, groups },
    });
    return { member: { user: result.user, groups }, created: result.createdMembership };
  }

  async list(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<WorkspaceUser[]> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    return this.users.listMembers(workspace.id);
  }
}
