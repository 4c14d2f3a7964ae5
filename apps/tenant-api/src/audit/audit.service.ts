import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TesseraError } from '@tessera/domain';
import { AuditRepository, type AuditEventEntity, UserRepository, WorkspaceRepository } from '@tessera/persistence';
import { PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import type { Actor } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import { type AuditNames, AuditPageDto, AuditQueryDto, toAuditEventDto } from './dto/audit.dto';

const RETENTION_SWEEP_MS = 60 * 60_000;

/** The tenant admin's view of who read what; and the retention sweep that keeps it bounded. */
@Injectable()
export class AuditService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private sweep?: NodeJS.Timeout;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly access: TenantAccessService,
    private readonly workspaces: WorkspaceRepository,
    private readonly audit: AuditRepository,
    private readonly users: UserRepository,
  ) {}

  async page(actor: Actor, tenantSlug: string, query: AuditQueryDto): Promise<AuditPageDto> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    let workspaceId: string | undefined;
    if (query.workspace) {
      const workspace = await this.workspaces.findBySlug(tenant.id, query.workspace);
      if (!workspace) throw TesseraError.notFound('workspace');
      workspaceId = workspace.id;
    }
    const limit = query.limit ?? 50;
    const family = query.action && !query.action.includes('.');
    const events = await this.audit.search(
      tenant.id,
      {
        workspaceId,
        action: family ? undefined : query.action,
        actionPrefix: family ? query.action : undefined,
        outcome: query.outcome,
        actorId: query.actor,
        since: query.since,
        until: query.until,
      },
      limit,
      query.cursor,
    );
    const names = await this.namesFor(tenant.id, events);
    return { events: events.map((e) => toAuditEventDto(e, names(e))), nextCursor: events.length === limit ? String(events[events.length - 1]!.id) : null };
  }

  /** Who and where, by name: the tenant's users behind actor ids, the workspaces' slugs (two reads a page). */
  private async namesFor(tenantId: string, events: readonly AuditEventEntity[]): Promise<(event: AuditEventEntity) => AuditNames> {
    const userIds = [...new Set(events.map((e) => actorUserId(e.actorId)).filter((id): id is string => id !== undefined))];
    const [emails, workspaces] = await Promise.all([
      this.users.emailsOf(tenantId, userIds),
      events.some((e) => e.workspaceId) ? this.workspaces.listByTenant(tenantId) : Promise.resolve([]),
    ]);
    const slugs = new Map(workspaces.map((w) => [w.id, w.slug]));
    return (event) => ({
      actorName: emails.get(actorUserId(event.actorId) ?? '') ?? null,
      workspace: event.workspaceId ? (slugs.get(event.workspaceId) ?? null) : null,
    });
  }

  onModuleInit(): void {
    if (this.platform.auditRetentionDays <= 0) return;
    this.sweep = setInterval(() => void this.applyRetention(), RETENTION_SWEEP_MS);
    this.sweep.unref();
    void this.applyRetention();
  }

  onApplicationShutdown(): void {
    if (this.sweep) clearInterval(this.sweep);
  }

  async applyRetention(now = new Date()): Promise<number> {
    try {
      const stripped = await this.audit.stripExpiredQueries();
      if (stripped > 0) this.logger.log(`removed query text from ${stripped} audit events past their workspace's query retention`);
      const cutoff = new Date(now.getTime() - this.platform.auditRetentionDays * 86_400_000);
      const removed = await this.audit.deleteOlderThan(cutoff);
      if (removed > 0) this.logger.log(`audit retention removed ${removed} events older than ${cutoff.toISOString()}`);
      return removed;
    } catch (error) {
      this.logger.error({ err: error }, 'audit retention failed');
      return 0;
    }
  }
}

/** A user id in an actor id: a user's own (sign-ins, OAuth tool calls) or a tenant admin's (`tenant-admin:<id>`). */
const USER_ACTOR = /^(?:tenant-admin:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function actorUserId(actorId: string): string | undefined {
  return USER_ACTOR.exec(actorId)?.[1]?.toLowerCase();
}
