import { Inject, Injectable } from '@nestjs/common';
import { hash } from '@node-rs/argon2';
import { connectorUrl, normalizeUserIdentifier, TesseraError } from '@tessera/domain';
import { AuditRepository, UserRepository, WorkspaceUser } from '@tessera/persistence';
import { InvalidationEvents, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import { CredentialRevocation } from './credential-revocation';
import { emailParameter } from './email-parameter';
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
    private readonly revocation: CredentialRevocation,
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
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

  /**
   * Removes a member from the workspace: the membership goes, and with it the workspace access tokens
   * issued to them here and their OAuth grants for this connector (refresh tokens included), by the path
   * SCIM deprovisioning takes. Their live OAuth access tokens are refused by the gateway's directory
   * check from the next call. The removal is recorded, so the tenant's IdP (which provisions newcomers by
   * default) does not make them a member again; adding them again (addToWorkspace) lifts it. Someone the
   * workspace's SCIM membership rule admits stays admitted by it.
   * A second removal answers 404, as every DELETE of this API does for what is already gone.
   */
  async removeFromWorkspace(actor: Actor, tenantSlug: string, workspaceSlug: string, rawEmail: string): Promise<void> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const email = emailParameter(rawEmail);
    const user = await this.users.removeMember(workspace.id, email);
    if (!user) throw TesseraError.notFound('member');
    this.events.directoryChanged(tenant.id);
    const revoked = await this.revocation.revoke(tenant.id, user, { id: workspace.id, resource: connectorUrl(this.platform.publicUrl, tenant.slug, workspace.slug) });
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'user.remove',
      outcome: 'success',
      details: { userId: user.id, ...revoked },
    });
  }

  async list(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<WorkspaceUser[]> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    return this.users.listMembers(workspace.id);
  }
}
