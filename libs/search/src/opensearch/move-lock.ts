import type { Client } from '@opensearch-project/opensearch';
import { guarded } from './opensearch-errors';
import type { RequestOptions } from './opensearch-client';

/** One document per workspace being moved. The name has a dot, so no workspace alias or index can spell it. */
export const MOVE_LOCK_INDEX = 'tessera.moves';

/** Another process (app replica, operator job) is moving this workspace; retrying later is safe. */
export class WorkspaceMoveInProgressError extends Error {
  readonly code = 'move_in_progress';
  constructor(workspaceId: string) {
    super(`workspace ${workspaceId} is already being moved by another process`);
    this.name = 'WorkspaceMoveInProgressError';
  }
}

interface Held {
  readonly _seq_no: number;
  readonly _primary_term: number;
}

/**
 * A lease on moving one workspace, shared by every process through the cluster: `op_type=create` on
 * the workspace's lock document succeeds for exactly one of two processes that try at once. The fence
 * alone cannot do this: two movers would both fence, and one would delete the other's target. A lease
 * older than `ttlMs` (its holder crashed) is taken over with a conditional write, so again only one wins.
 */
export class MoveLocks {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    private readonly requests: RequestOptions,
    private readonly replicas: number,
    private readonly ttlMs: number,
  ) {}

  /** Runs `work` holding the workspace's lease; throws WorkspaceMoveInProgressError when another holds it. */
  async holding<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
    const done = await this.tryHolding(workspaceId, work);
    if (!done) throw new WorkspaceMoveInProgressError(workspaceId);
    return done.value;
  }

  /**
   * Runs `work` holding the lease named `key`; null (and `work` not run) when another process holds it.
   * Keys other than workspace ids contain a ':' (`mapping:<index>`), which no workspace id can.
   */
  async tryHolding<T>(key: string, work: () => Promise<T>): Promise<{ value: T } | null> {
    const held = await this.claim(key);
    if (!held) return null;
    try {
      return { value: await work() };
    } finally {
      // Conditional on our own write: a lease someone took over after ours expired stays theirs.
      await this.client
        .delete({ index: MOVE_LOCK_INDEX, id: key, if_seq_no: held._seq_no, if_primary_term: held._primary_term }, this.requests.management([404, 409]))
        .catch(() => undefined);
    }
  }

  private async claim(key: string): Promise<Held | null> {
    await this.ensureIndex();
    const body = { expires_at: Date.now() + this.ttlMs };
    const created = await guarded('move lock', () =>
      this.client.index({ index: MOVE_LOCK_INDEX, id: key, op_type: 'create', body }, this.requests.management([409])),
    );
    if (created.statusCode !== 409) return created.body as Held;
    const current = await guarded('move lock', () => this.client.get({ index: MOVE_LOCK_INDEX, id: key }, this.requests.admin([404])));
    if (current.body?.found && Number((current.body._source as { expires_at?: number }).expires_at) > Date.now()) return null;
    // Expired (or released just now): take it over only if nobody else did in between.
    const condition = current.body?.found ? { if_seq_no: current.body._seq_no, if_primary_term: current.body._primary_term } : { op_type: 'create' as const };
    const taken = await guarded('move lock', () =>
      this.client.index({ index: MOVE_LOCK_INDEX, id: key, body, ...condition }, this.requests.management([409])),
    );
    return taken.statusCode === 409 ? null : (taken.body as Held);
  }

  private ensureIndex(): Promise<void> {
    this.ready ??= (async () => {
      const exists = await guarded('move lock', () => this.client.indices.exists({ index: MOVE_LOCK_INDEX }, this.requests.admin()));
      if (exists.statusCode === 200) return;
      const body = { settings: { number_of_shards: 1, number_of_replicas: this.replicas }, mappings: { dynamic: false, properties: {} } };
      // 400 resource_already_exists_exception: another process created it first.
      await guarded('move lock', () => this.client.indices.create({ index: MOVE_LOCK_INDEX, body }, this.requests.management([400])));
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}
