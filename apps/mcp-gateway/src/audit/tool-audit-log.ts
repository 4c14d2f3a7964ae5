import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { type Principal, queryLogPolicy, type WorkspaceContext } from '@tessera/domain';
import { AuditEventInput, AuditRepository } from '@tessera/persistence';
import { PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';

const FLUSH_INTERVAL_MS = 1_000;
const FLUSH_AT = 200;
const MAX_BUFFERED = 10_000;

/**
 * Records every tool call (who, which workspace, which tool, which documents, outcome). The raw query is
 * not kept — a keyed hash and the length stand in for it — unless the workspace opted in to a query log. Writes are batched off the
 * request path so auditing costs the gateway no database round trip per call.
 */
@Injectable()
export class ToolAuditLog implements OnApplicationShutdown {
  private readonly logger = new Logger(ToolAuditLog.name);
  private readonly queryKey: Buffer;
  private buffer: AuditEventInput[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repository: AuditRepository,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.queryKey = config.queryHashKey;
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  queryFingerprint(query: string): { queryHash: string; queryLength: number } {
    return { queryHash: createHmac('sha256', this.queryKey).update(query).digest('base64url').slice(0, 22), queryLength: query.length };
  }

  toolCall(
    ctx: WorkspaceContext,
    principal: Principal,
    tool: 'search' | 'fetch',
    outcome: string,
    details: { query?: string; documentIds?: string[]; rule?: string },
  ): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      // The database is behind; never grow without bound, but count what is lost.
      this.repository.dropped(1);
      return;
    }
    const { query, ...rest } = details;
    this.buffer.push({
      tenantId: ctx.tenantId,
      workspaceId: ctx.workspaceId,
      actorKind: principal.kind,
      actorId: principal.subject,
      action: `tool.${tool}`,
      outcome,
      details: {
        ...rest,
        ...(query !== undefined ? this.queryFingerprint(query) : {}),
        // Only when the workspace opted in; the retention sweep removes it after its retention period.
        ...(query !== undefined && queryLogPolicy(ctx.settings).store ? { query } : {}),
        credentialId: principal.credentialId,
        ...(principal.clientId ? { clientId: principal.clientId } : {}),
      },
    });
    if (this.buffer.length >= FLUSH_AT) void this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      await this.repository.appendMany(batch);
    } catch (error) {
      // Only when the database could not be written at all: an event it refuses alone is isolated (AuditRepository).
      this.logger.error({ err: error, events: batch.length }, 'could not write audit events');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
