import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, TesseraError } from '@tessera/domain';
import { AuditRepository, SyncRepository, type SyncRun, type WorkspaceEntity } from '@tessera/persistence';
import { SEARCH_BACKEND, type SearchBackend } from '@tessera/search';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';

/** A source name: what a client calls the system it syncs from. */
const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const SYNC_LIMITS = {
  /** Completion refuses to delete more than this share of the source's documents unless forced. */
  maxDeletedShare: 0.2,
  /** An open run not completed within this time is abandoned and deletes nothing. */
  lifetimeSeconds: 24 * 60 * 60,
  /** Cursor size: opaque to Tessera, but bounded. */
  cursorChars: 4_096,
  listed: 100,
} as const;

export interface SyncCompletion {
  readonly run: SyncRun;
  /** Ids of the documents deleted because the run did not see them. */
  readonly deletedIds: readonly string[];
}

/**
 * Reconciled sync runs: a run sees documents through writes that name it (`?sync=`); completing it
 * deletes, in its workspace and source only, every document of the source the run did not see.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly access: TenantAccessService,
    private readonly runs: SyncRepository,
    private readonly audit: AuditRepository,
    @Inject(SEARCH_BACKEND) private readonly search: SearchBackend,
  ) {}

  async open(actor: Actor, tenantSlug: string, workspaceSlug: string, body: unknown): Promise<SyncRun> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const source = sourceName((body as { source?: unknown } | null)?.source);
    const unknown = Object.keys(body as object).filter((k) => k !== 'source');
    if (unknown.length > 0) throw TesseraError.validation(`${unknown[0]}: unknown field (allowed: source)`);
    const run = await this.runs.open(workspace.id, source, SYNC_LIMITS.lifetimeSeconds);
    if (!run) throw new TesseraError(ErrorCode.Conflict, `source "${source}" already has an open sync run; complete or abandon it first`);
    await this.record(actor, tenant.id, workspace.id, 'sync.open', 'success', { syncId: run.id, source });
    return run;
  }

  async list(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<SyncRun[]> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    return this.runs.list(workspace.id, SYNC_LIMITS.listed);
  }

  async show(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string): Promise<SyncRun> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    return this.requireRun(workspace.id, id);
  }

  /** The open run a write names, or a 404/409 saying why it cannot be used. */
  async openRun(workspace: WorkspaceEntity, id: unknown): Promise<SyncRun> {
    const run = await this.requireRun(workspace.id, id);
    if (run.state !== 'open') throw new TesseraError(ErrorCode.Conflict, `sync run ${run.id} is ${run.error === 'expired' ? 'expired' : run.state}; open a new one`);
    return run;
  }

  markSeen(run: SyncRun, ids: readonly string[]): Promise<void> {
    return this.runs.markSeen(run, ids);
  }

  forget(workspaceId: string, ids: readonly string[]): Promise<void> {
    return this.runs.forget(workspaceId, ids);
  }

  async abandon(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string): Promise<SyncRun> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const run = await this.openRun(workspace, id);
    const { seen } = await this.runs.reconcile(run);
    if (!(await this.runs.finish(run, 'abandoned', { seen, deleted: 0 }, 'abandoned'))) throw new TesseraError(ErrorCode.Conflict, `sync run ${run.id} is no longer open`);
    await this.record(actor, tenant.id, workspace.id, 'sync.abandon', 'success', { syncId: run.id, source: run.source, seen });
    return this.requireRun(workspace.id, id);
  }

  /**
   * Deletes every document of the run's source it did not see, then closes it. Refused (409, the run
   * stays open) when that is more than SYNC_LIMITS.maxDeletedShare of the source, unless forced.
   */
  async complete(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string, body: unknown): Promise<SyncCompletion> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const force = completionForce(body);
    const run = await this.openRun(workspace, id);
    const { total, seen, unseen } = await this.runs.reconcile(run);
    if (!force && unseen.length > SYNC_LIMITS.maxDeletedShare * total) {
      await this.record(actor, tenant.id, workspace.id, 'sync.refused', 'failure', { syncId: run.id, source: run.source, total, seen, wouldDelete: unseen.length });
      throw new TesseraError(
        ErrorCode.Conflict,
        `completing would delete ${unseen.length} of the ${total} documents of source "${run.source}" (more than ${SYNC_LIMITS.maxDeletedShare * 100}%); ` +
          'check the run saw everything, or complete with {"force": true}',
      );
    }
    const deletedIds: string[] = [];
    for (const documentId of unseen) {
      if (await this.search.delete(workspace.id, documentId)) deletedIds.push(documentId);
    }
    await this.runs.forget(workspace.id, unseen);
    if (!(await this.runs.finish(run, 'completed', { seen, deleted: deletedIds.length }))) {
      throw new TesseraError(ErrorCode.Conflict, `sync run ${run.id} is no longer open`);
    }
    await this.record(actor, tenant.id, workspace.id, 'sync.complete', 'success', { syncId: run.id, source: run.source, total, seen, deleted: deletedIds.length, forced: force });
    return { run: await this.requireRun(workspace.id, id), deletedIds };
  }

  async cursor(actor: Actor, tenantSlug: string, workspaceSlug: string, source: string): Promise<{ source: string; cursor: string; updatedAt: string }> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const stored = await this.runs.cursor(workspace.id, sourceName(source));
    if (!stored) throw TesseraError.notFound('cursor');
    return { source, cursor: stored.cursor, updatedAt: stored.updatedAt.toISOString() };
  }

  async putCursor(actor: Actor, tenantSlug: string, workspaceSlug: string, source: string, body: unknown): Promise<void> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const name = sourceName(source);
    const cursor = (body as { cursor?: unknown } | null)?.cursor;
    if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > SYNC_LIMITS.cursorChars || cursor.includes('\0')) {
      throw TesseraError.validation(`cursor: must be a non-empty string of at most ${SYNC_LIMITS.cursorChars} characters`);
    }
    await this.runs.putCursor(workspace.id, name, cursor);
  }

  private async requireRun(workspaceId: string, id: unknown): Promise<SyncRun> {
    const run = typeof id === 'string' && RUN_ID.test(id) ? await this.runs.find(workspaceId, id) : null;
    if (!run) throw TesseraError.notFound('sync run');
    return run;
  }

  private record(actor: Actor, tenantId: string, workspaceId: string, action: string, outcome: string, details: Record<string, unknown>) {
    return this.audit.append({ tenantId, workspaceId, actorKind: actor.kind, actorId: actorId(actor), action, outcome, details });
  }
}

function sourceName(value: unknown): string {
  if (typeof value !== 'string' || !SOURCE_NAME.test(value)) {
    throw TesseraError.validation('source: must be 1 to 128 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
  return value;
}

function completionForce(body: unknown): boolean {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return false;
  if (typeof body !== 'object' || Array.isArray(body)) throw TesseraError.validation('body: must be a JSON object');
  const { force, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw TesseraError.validation(`${Object.keys(rest)[0]}: unknown field (allowed: force)`);
  if (force !== undefined && typeof force !== 'boolean') throw TesseraError.validation('force: must be true or false');
  return force === true;
}
