import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { storableText, storableValue } from '@tessera/domain';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../entities';

export type AuditEventInput = Omit<AuditEventEntity, 'id' | 'occurredAt'>;

/**
 * What became of audit events: `written`; `rejected`, one event the database refused on its own
 * (the rest of its batch was written); `failed`, events lost because the database could not be
 * written at all; `dropped`, events a writer never handed over (its buffer was full).
 */
export type AuditWriteOutcome = 'written' | 'rejected' | 'failed' | 'dropped';
export type AuditWriteObserver = (outcome: AuditWriteOutcome, count: number) => void;

/**
 * A provider token shared with @tessera/observability without an import (Symbol.for): it provides an
 * observer that counts outcomes in tessera_audit_events_total.
 */
export const AUDIT_WRITE_OBSERVER = Symbol.for('tessera.audit-write-observer');

/** Values as they are recorded: every string storable in text and jsonb (see storableText). */
function recordable(event: AuditEventInput): AuditEventInput {
  return {
    tenantId: event.tenantId,
    workspaceId: event.workspaceId,
    actorKind: storableText(event.actorKind),
    actorId: storableText(event.actorId),
    action: storableText(event.action),
    outcome: storableText(event.outcome),
    details: storableValue(event.details ?? {}),
  };
}

/** The server answered and refused the statement (a SQLSTATE), rather than the connection failing. */
function refusedByDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58)/.test(code);
}

const INSERT_EVENTS = `INSERT INTO audit_events (tenant_id, workspace_id, actor_kind, actor_id, action, outcome, details)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`;

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

/** Every audit writer (gateway tool calls, tenant API, sign-in and consent) records through this one class. */
@Injectable()
export class AuditRepository {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(AUDIT_WRITE_OBSERVER) private readonly observer?: AuditWriteObserver,
  ) {}

  async append(event: AuditEventInput): Promise<void> {
    await this.appendMany([event]);
  }

  /**
   * One statement for a whole batch (the gateway flushes its buffer here every second). Values are made
   * storable first; if the database still refuses the batch, each event is tried alone, so one bad event
   * is counted (rejected) and logged without its values, and never costs the others. Throws only when
   * the database cannot be written at all (the events are counted as failed).
   */
  async appendMany(events: AuditEventInput[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map(recordable);
    try {
      await this.insert(rows);
      this.observer?.('written', rows.length);
      return;
    } catch (error) {
      if (!refusedByDatabase(error)) return this.failed(rows.length, error);
      if (rows.length === 1) return this.rejected(rows[0]!, error);
    }
    for (let i = 0; i < rows.length; i++) {
      try {
        await this.insert([rows[i]!]);
        this.observer?.('written', 1);
      } catch (error) {
        if (!refusedByDatabase(error)) return this.failed(rows.length - i, error);
        this.rejected(rows[i]!, error);
      }
    }
  }

  private rejected(row: AuditEventInput, error: unknown): void {
    this.observer?.('rejected', 1);
    this.logger.error({ action: row.action, sqlState: (error as { code?: string }).code }, 'the database refused one audit event; the others were written');
  }

  private failed(count: number, error: unknown): never {
    this.observer?.('failed', count);
    throw error;
  }

  /** Writers that buffer report here the events they had to drop before handing them over. */
  dropped(count: number): void {
    if (count > 0) this.observer?.('dropped', count);
  }

  private async insert(rows: AuditEventInput[]): Promise<void> {
    await this.dataSource.query(INSERT_EVENTS, [
      rows.map((e) => e.tenantId),
      rows.map((e) => e.workspaceId),
      rows.map((e) => e.actorKind),
      rows.map((e) => e.actorId),
      rows.map((e) => e.action),
      rows.map((e) => e.outcome),
      rows.map((e) => JSON.stringify(e.details)),
    ]);
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
