import { Logger } from '@nestjs/common';
import { WorkspaceMoveInProgressError } from './move-lock';
import type { WorkspaceIndices, WorkspaceTier } from './workspace-indices';

/** moved: this process moved the workspace; unchanged: it stayed (already moved, or the count changed); busy: another process is moving it; error: the check or the move failed. */
export type RebalanceOutcome = 'moved' | 'unchanged' | 'busy' | 'error';
export type RebalanceListener = (outcome: RebalanceOutcome) => void;

interface Known {
  tier: WorkspaceTier;
  /** The last count, plus what this process's writes added or removed since. */
  documents: number;
  /** Until then, only an estimate past the line makes a write count again. */
  trustUntil: number;
  /** After a failed or contended attempt: no count and no attempt before then. */
  retryAfter: number;
}

/**
 * Moves a workspace to the tier its size calls for, in the background, after writes that may have
 * moved its count across the line (past the limit while shared, below half of it while dedicated).
 *
 * Cheap: a workspace is counted on its first write in this process and then at most once per
 * `recountAfterMs`; in between, each write adjusts an in-process estimate, and only an estimate past
 * the line triggers a count (and a move if the count agrees). Writes by other replicas are picked up
 * at the next recount. At most one check runs per workspace in this process; across processes the
 * move's lease (MoveLocks) lets one mover through and the others see `busy`. Nothing here delays or
 * fails the write that triggered it.
 */
export class AutoRebalancer {
  private readonly logger = new Logger('OpenSearchRebalance');
  private readonly known = new Map<string, Known>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly listeners = new Set<RebalanceListener>();

  constructor(
    private readonly indices: WorkspaceIndices,
    private readonly recountAfterMs: number,
  ) {}

  /** After a write to the workspace that changed its count by `delta` documents (created − deleted). */
  noteWrite(workspaceId: string, delta: number): void {
    const known = this.known.get(workspaceId);
    if (known) {
      known.documents += delta;
      if (Date.now() < known.retryAfter) return;
      if (!this.pastLine(known) && Date.now() < known.trustUntil) return;
    }
    if (this.running.has(workspaceId)) return;
    const check = this.check(workspaceId).finally(() => this.running.delete(workspaceId));
    this.running.set(workspaceId, check);
  }

  /** The workspace no longer exists here (dropped): forget what was known about it. */
  forget(workspaceId: string): void {
    this.known.delete(workspaceId);
  }

  listen(listener: RebalanceListener): void {
    this.listeners.add(listener);
  }

  /** Resolves once no check is running (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private pastLine(known: Known): boolean {
    const limit = this.indices.dedicatedAboveDocuments;
    return known.tier === 'shared' ? known.documents > limit : known.documents < limit / 2;
  }

  private async check(workspaceId: string): Promise<void> {
    try {
      if (!(await this.recount(workspaceId))) return;
      const result = await this.indices.rebalance(workspaceId);
      this.emit(result?.swapped ? 'moved' : 'unchanged');
      await this.recount(workspaceId);
    } catch (error) {
      const busy = error instanceof WorkspaceMoveInProgressError;
      // Back off: the next writes neither count nor try again before recountAfterMs.
      const retryAfter = Date.now() + this.recountAfterMs;
      const known = this.known.get(workspaceId);
      if (known) known.retryAfter = retryAfter;
      else this.known.set(workspaceId, { tier: 'shared', documents: 0, trustUntil: retryAfter, retryAfter });
      this.emit(busy ? 'busy' : 'error');
      // The workspace id and the error's own text only: OpenSearch errors here never carry a request or documents.
      if (!busy) this.logger.warn(`automatic rebalance of workspace ${workspaceId} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
    }
  }

  /** Counts the workspace and remembers it; true when the count is past the line. */
  private async recount(workspaceId: string): Promise<boolean> {
    const placement = await this.indices.placement(workspaceId);
    if (!placement) {
      this.known.delete(workspaceId);
      return false;
    }
    const known = { tier: placement.tier, documents: placement.documents, trustUntil: Date.now() + this.recountAfterMs, retryAfter: 0 };
    this.known.set(workspaceId, known);
    return this.pastLine(known);
  }

  private emit(outcome: RebalanceOutcome): void {
    for (const listener of this.listeners) {
      try {
        listener(outcome);
      } catch {
        // A metrics listener must not break rebalancing.
      }
    }
  }
}
