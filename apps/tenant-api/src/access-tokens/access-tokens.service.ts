import { Injectable } from '@nestjs/common';
import { isUuid, TesseraError, TOOL_SCOPES } from '@tessera/domain';
import { AccessTokenEntity, AccessTokenRepository, AuditRepository } from '@tessera/persistence';
import { generateSecret, hashSecret, InvalidationEvents } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import type { CreateAccessTokenDto } from './dto/access-token.dto';

const DAY_MS = 86_400_000;

@Injectable()
export class AccessTokensService {
  constructor(
    private readonly access: TenantAccessService,
    private readonly tokens: AccessTokenRepository,
    private readonly audit: AuditRepository,
    private readonly events: InvalidationEvents,
  ) {}

  /** Issues a workspace access token for the Responses API. Only its hash is kept. */
  async issue(
    actor: Actor,
    tenantSlug: string,
    workspaceSlug: string,
    input: CreateAccessTokenDto,
  ): Promise<{ entity: AccessTokenEntity; token: string }> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const token = generateSecret('tsr');
    const entity = await this.tokens.create({
      workspaceId: workspace.id,
      tokenHash: hashSecret(token),
      subject: input.subject.trim(),
      groups: [...new Set(input.groups ?? [])].sort(),
      scopes: input.scopes?.length ? [...new Set(input.scopes)].sort() : [...TOOL_SCOPES],
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
    });
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'access_token.issue',
      outcome: 'success',
      details: { tokenId: entity.id, subject: entity.subject, scopes: entity.scopes },
    });
    return { entity, token };
  }

  async list(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<AccessTokenEntity[]> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    return this.tokens.listByWorkspace(workspace.id);
  }

  async revoke(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string): Promise<void> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const revokedHash = isUuid(id) ? await this.tokens.revoke(workspace.id, id) : null;
    if (!revokedHash) throw TesseraError.notFound('access token');
    this.events.tokenRevoked(revokedHash);
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'access_token.revoke',
      outcome: 'success',
      details: { tokenId: id },
    });
  }
}
