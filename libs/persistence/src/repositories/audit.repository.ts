import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../entities';

export type AuditEventInput = Omit<AuditEventEntity, 'id' | 'occurredAt'>;

export interface AuditFilter {
  readonly workspaceId?: string;
  readonly action?: string;
  /** e.g. "tool" matches tool.search and tool.fetch */
  readonly actionPrefix?: string;
  readonly outcome?: string;
  readonly actorId?: string;
  readonly since?: Date;
  readonly until?: Date;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(event: AuditEventInput): Promise<void> {
    await this.appendMany([event]);
  }

  /** One statement for a whole batch (the gateway flushes its buffer here every second). */
  async appendMany(events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO audit_events (tenant_id, workspace_id, actor_kind, actor_id, action, outcome, details)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
      [
        events.map((e) => e.tenantId),
        events.map((e) => e.workspaceId),
        events.map((e) => e.actorKind),
        events.map((e) => e.actorId),
        events.map((e) => e.action),
        events.map((e) => e.outcome),
        events.map((e) => JSON.stringify(e.details)),
      ],
    );
  }

  /** A tenant's events, newest first, filtered; `beforeId` pages backwards from a previous page's last id. */
  async search(tenantId: string, filter: AuditFilter, limit: number, beforeId?: string): Promise<AuditEventEntity[]> {
    const query = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId', { tenantId })
      .orderBy('e.id', 'DESC')
      .take(limit);
    if (filter.workspaceId) query.andWhere('e.workspace_id = :workspaceId', { workspaceId: filter.workspaceId });
    if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
    // LIKE wildcards in the family are escaped, not dropped: "access_token" must match access_token.* only.
    if (filter.actionPrefix) query.andWhere(`e.action LIKE :prefix ESCAPE '\\'`, { prefix: `${filter.actionPrefix.replace(/[%_\\]/g, '\\$&')}.%` });
    if (filter.outcome) query.andWhere('e.outcome = :outcome', { outcome: filter.outcome });
    if (filter.actorId) query.andWhere('e.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.since) query.andWhere('e.occurred_at >= :since', { since: filter.since });
    if (filter.until) query.andWhere('e.occurred_at < :until', { until: filter.until });
    if (beforeId) query.andWhere('e.id < :beforeId', { beforeId });
    return query.getMany();
  }

  /**
   * Removes raw query text from every event whose workspace does not (or no longer) keep a query log,
   * or that is older than that workspace's query retention. Returns how many events were stripped.
   */
  async stripExpiredQueries(): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `UPDATE audit_events e SET details = e.details - 'query'
        WHERE e.details ? 'query'
          AND NOT EXISTS (
            SELECT 1 FROM workspaces w
             WHERE w.id = e.workspace_id
               AND coalesce((w.settings->'queryLog'->>'store')::boolean, false)
               AND e.occurred_at >= now() - make_interval(days => coalesce((w.settings->'queryLog'->>'retentionDays')::int, 7)))`,
    );
    return count;
  }

  /** Retention: removes events older than `cutoff`; returns how many. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.dataSource.getRepository(AuditEventEntity).createQueryBuilder().delete().where('occurred_at < :cutoff', { cutoff }).execute();
    return result.affected ?? 0;
  }
}
