import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../repositories/tenant.repository';
import { inWorkspaceTransaction } from '../workspace-scope';

export type SyncRunState = 'open' | 'completed' | 'abandoned';

export interface SyncRun {
  readonly id: string;
  readonly workspaceId: string;
  readonly source: string;
  readonly state: SyncRunState;
  readonly seen: number;
  readonly deleted: number;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly expiresAt: Date;
  readonly finishedAt: Date | null;
}

interface RunRow {
  id: string;
  workspace_id: string;
  source: string;
  state: SyncRunState;
  seen: number;
  deleted: number;
  error: string | null;
  started_at: Date;
  expires_at: Date;
  finished_at: Date | null;
}

const RUN_COLUMNS = `id, workspace_id, source, state, seen, deleted, error, started_at, expires_at, finished_at`;

/** Sync runs, the source each document belongs to, and each source's cursor; every method is scoped to a workspace. */
@Injectable()
export class SyncRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every statement runs inside its workspace's scope: the sync tables have row-level security (migration 1766000000000). */
  private scoped<T>(workspaceId: string, text: string, values: unknown[]): Promise<T> {
    return inWorkspaceTransaction(this.dataSource, workspaceId, (em) => em.query(text, values));
  }

  /** Opens a run; null when the source already has an open one. */
  async open(workspaceId: string, source: string, lifetimeSeconds: number): Promise<SyncRun | null> {
    try {
      const rows: RunRow[] = await this.scoped(workspaceId,
        `INSERT INTO sync_runs (workspace_id, source, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING ${RUN_COLUMNS}`,
        [workspaceId, source, lifetimeSeconds],
      );
      return toRun(rows[0]!);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  /** A run of the workspace, with its open runs past their time abandoned first (they delete nothing). */
  async find(workspaceId: string, id: string): Promise<SyncRun | null> {
    await this.expire(workspaceId);
    const rows: RunRow[] = await this.scoped(workspaceId, `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async list(workspaceId: string, limit: number): Promise<SyncRun[]> {
    await this.expire(workspaceId);
    const rows: RunRow[] = await this.scoped(workspaceId,
      `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE workspace_id = $1 ORDER BY started_at DESC, id LIMIT $2`,
      [workspaceId, limit],
    );
    return rows.map(toRun);
  }

  private async expire(workspaceId: string): Promise<void> {
    await this.scoped(workspaceId,
      `UPDATE sync_runs SET state = 'abandoned', error = 'expired', finished_at = now() WHERE workspace_id = $1 AND state = 'open' AND expires_at < now()`,
      [workspaceId],
    );
  }

  /** Records that the run saw these documents: they belong to its source now, seen by this run. */
  async markSeen(run: SyncRun, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.scoped(run.workspaceId,
      `INSERT INTO document_sources (workspace_id, external_id, source, last_run)
       SELECT $1, id, $2, $3 FROM unnest($4::text[]) AS id
       ON CONFLICT (workspace_id, external_id) DO UPDATE SET source = EXCLUDED.source, last_run = EXCLUDED.last_run`,
      [run.workspaceId, run.source, run.id, [...new Set(ids)]],
    );
  }

  /** Documents that are gone belong to no source. */
  async forget(workspaceId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.scoped(workspaceId, `DELETE FROM document_sources WHERE workspace_id = $1 AND external_id = ANY($2::text[])`, [workspaceId, ids]);
  }

  /** The run's source: how many documents it holds, which of them the run has not seen, and how many it has. */
  async reconcile(run: SyncRun): Promise<{ total: number; seen: number; unseen: string[] }> {
    const rows: Array<{ external_id: string; seen: boolean }> = await this.scoped(run.workspaceId,
      `SELECT external_id, last_run IS NOT DISTINCT FROM $3::uuid AS seen FROM document_sources WHERE workspace_id = $1 AND source = $2`,
      [run.workspaceId, run.source, run.id],
    );
    const unseen = rows.filter((r) => !r.seen).map((r) => r.external_id);
    return { total: rows.length, seen: rows.length - unseen.length, unseen };
  }

  /** Ends an open run; false when it was no longer open (completed, abandoned or expired meanwhile). */
  async finish(run: SyncRun, state: Exclude<SyncRunState, 'open'>, counts: { seen: number; deleted: number }, error?: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.scoped(run.workspaceId,
      `UPDATE sync_runs SET state = $3, seen = $4, deleted = $5, error = $6, finished_at = now() WHERE workspace_id = $1 AND id = $2 AND state = 'open'`,
      [run.workspaceId, run.id, state, counts.seen, counts.deleted, error ?? null],
    );
    return affected > 0;
  }

  async cursor(workspaceId: string, source: string): Promise<{ cursor: string; updatedAt: Date } | null> {
    const rows: Array<{ cursor: string; updated_at: Date }> = await this.scoped(workspaceId,
      `SELECT cursor, updated_at FROM source_cursors WHERE workspace_id = $1 AND source = $2`,
      [workspaceId, source],
    );
    return rows[0] ? { cursor: rows[0].cursor, updatedAt: rows[0].updated_at } : null;
  }

  async putCursor(workspaceId: string, source: string, cursor: string): Promise<void> {
    await this.scoped(workspaceId,
      `INSERT INTO source_cursors (workspace_id, source, cursor) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, source) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
      [workspaceId, source, cursor],
    );
  }
}

function toRun(row: RunRow): SyncRun {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    source: row.source,
    state: row.state,
    seen: row.seen,
    deleted: row.deleted,
    error: row.error,
    startedAt: new Date(row.started_at),
    expiresAt: new Date(row.expires_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  };
}
