import type { Client } from '@opensearch-project/opensearch';
import { errorType, guarded } from './opensearch-errors';
import type { RequestOptions } from './opensearch-client';
import { indexDefinition } from './index-definition';
import { indexVersion, isSharedIndex, sharedIndex, workspaceAlias, workspaceIndex } from './index-names';
import { MoveLocks } from './move-lock';
import { copyWorkspace, deleteWorkspaceDocuments, waitForWritesToSettle } from './workspace-copy';

export interface ReindexResult {
  readonly alias: string;
  readonly from: string;
  readonly to: string;
  /** Documents copied; 0 with `swapped: false` when nothing had to move. */
  readonly copied: number;
  readonly swapped: boolean;
}

/** Where a workspace's documents live: an index shared with other small workspaces, or its own. */
export type WorkspaceTier = 'shared' | 'dedicated';

export interface TieringOptions {
  readonly replicas: number;
  /** Primary shards of the shared index. Default 2. */
  readonly sharedShards?: number;
  /** A shared workspace with more documents than this moves to its own index (rebalance). Default 50,000. */
  readonly dedicatedAboveDocuments?: number;
  /** How long a move's lease holds when its process dies mid-move (longer than any copy). */
  readonly moveLeaseMs: number;
}

/**
 * The lifecycle of workspace indices, with the service account. A workspace's alias `tessera-<id>`
 * always carries the workspace's filter (`workspace_id`) and routing, whether it points at the shared
 * index (`tessera.shared-v<n>`) or at an index of the workspace's own (`tessera-<id>-v<n>`): so every
 * read and write names one workspace, and moving between the two is an alias swap.
 */
export class WorkspaceIndices {
  private readonly locks: MoveLocks;

  constructor(
    private readonly client: Client,
    private readonly requests: RequestOptions,
    private readonly options: TieringOptions,
    /** The version new indices get: MAPPING_VERSION, unless a test or a staged rollout says otherwise. */
    private readonly version: number,
  ) {
    this.locks = new MoveLocks(client, requests, options.replicas, options.moveLeaseMs);
  }

  /** The document count past which a shared workspace belongs in an index of its own. */
  get dedicatedAboveDocuments(): number {
    return this.options.dedicatedAboveDocuments ?? 50_000;
  }

  /** Idempotent: a workspace whose alias exists stays where it is. New workspaces start in the shared index. */
  async create(workspaceId: string): Promise<void> {
    if ((await this.indicesBehind(workspaceAlias(workspaceId))).length > 0) return;
    const index = await this.ensureSharedIndex();
    await this.pointAlias(workspaceId, { add: index });
  }

  /** The tier of a workspace, and its document count (null: it has no index). */
  async placement(workspaceId: string): Promise<{ tier: WorkspaceTier; index: string; documents: number } | null> {
    const behind = await this.indicesBehind(workspaceAlias(workspaceId));
    if (behind.length !== 1) return null;
    const response = await guarded('count', () => this.client.count({ index: workspaceAlias(workspaceId) }, this.requests.admin()));
    const index = behind[0]!;
    return { tier: isSharedIndex(index) ? 'shared' : 'dedicated', index, documents: Number(response.body.count ?? 0) };
  }

  /**
   * Moves a workspace to the tier its size calls for: past `dedicatedAboveDocuments` to its own index,
   * back to the shared one below half of it (the gap keeps a workspace near the line from moving back
   * and forth). Returns what was done.
   */
  async rebalance(workspaceId: string): Promise<ReindexResult | null> {
    const placement = await this.placement(workspaceId);
    if (!placement) return null;
    const limit = this.dedicatedAboveDocuments;
    if (placement.tier === 'shared' && placement.documents > limit) return this.move(workspaceId, 'dedicated');
    if (placement.tier === 'dedicated' && placement.documents < limit / 2) return this.move(workspaceId, 'shared');
    return null;
  }

  /** Rebuilds the workspace with the current mapping version, in the tier it is in. */
  async reindex(workspaceId: string): Promise<ReindexResult> {
    const from = await this.single(workspaceId);
    return this.move(workspaceId, isSharedIndex(from) ? 'shared' : 'dedicated');
  }

  /**
   * Moves a workspace into `tier` at the current mapping version while search keeps working:
   * 1. prepare the target (the shared index, or a new index of its own), free of leftovers;
   * 2. fence: the alias stays on the source with `is_write_index: false`, so OpenSearch itself
   *    refuses this workspace's writes (every app replica at once), retryably, while it still serves
   *    its reads — other workspaces in a shared index keep writing;
   * 3. copy the workspace's documents with `_reindex` (a script sets `_id`, `workspace_id`, routing);
   * 4. swap the alias in ONE `_aliases` call: readers see the source or the target, never both and
   *    never neither, and writes resume on the target;
   * 5. remove the source's copy (delete its own index, or delete-by-query in a shared one).
   * On failure before the swap the target's copy is removed and the source accepts writes again;
   * running the move again after a crash finishes it.
   * One move per workspace at a time across all processes (MoveLocks): a second one started meanwhile
   * throws WorkspaceMoveInProgressError before touching anything.
   */
  move(workspaceId: string, tier: WorkspaceTier): Promise<ReindexResult> {
    return this.locks.holding(workspaceId, () => this.moveHeld(workspaceId, tier));
  }

  private async moveHeld(workspaceId: string, tier: WorkspaceTier): Promise<ReindexResult> {
    const alias = workspaceAlias(workspaceId);
    const from = await this.single(workspaceId);
    const version = indexVersion(workspaceId, from);
    if (version !== null && version > this.version) throw new Error(`${from} is newer than this code's mapping (v${this.version})`);
    const to = tier === 'shared' ? sharedIndex(this.version) : workspaceIndex(workspaceId, this.version);
    if (to === from) {
      await this.pointAlias(workspaceId, { add: from }); // lifts a fence an interrupted move left
      return { alias, from, to, copied: 0, swapped: false };
    }
    await this.prepareTarget(workspaceId, to);
    await this.pointAlias(workspaceId, { add: from, writable: false });
    let copied: number;
    try {
      await waitForWritesToSettle(this.client, this.requests, from);
      copied = await copyWorkspace(this.client, this.requests, workspaceId, from, to);
      await this.pointAlias(workspaceId, { remove: from, add: to });
    } catch (error) {
      await this.pointAlias(workspaceId, { add: from }).catch(() => undefined);
      await this.removeCopy(workspaceId, to).catch(() => undefined);
      throw error;
    }
    await this.removeCopy(workspaceId, from);
    return { alias, from, to, copied, swapped: true };
  }

  /**
   * Deletes the workspace's documents and alias: its own indices (every version, including one an
   * interrupted move left), or exactly its documents in a shared index.
   */
  async drop(workspaceId: string): Promise<void> {
    const behind = await this.indicesBehind(workspaceAlias(workspaceId));
    // Fenced first, alias removed last: if a delete fails, running drop again still finds the workspace.
    // The current shared index is swept even without an alias (an earlier drop may have stopped halfway).
    for (const index of new Set([...behind.filter(isSharedIndex), sharedIndex(this.version)])) {
      if (behind.includes(index)) await this.pointAlias(workspaceId, { add: index, writable: false });
      await deleteWorkspaceDocuments(this.client, this.requests, workspaceId, index);
      if (behind.includes(index)) await this.pointAlias(workspaceId, { remove: index });
    }
    const versions = Array.from({ length: this.version }, (_, i) => workspaceIndex(workspaceId, i + 1));
    // Named, never a wildcard: clusters commonly refuse wildcard deletes (action.destructive_requires_name).
    const own = [...new Set([...behind.filter((index) => !isSharedIndex(index)), ...versions])];
    await guarded('drop workspace', () => this.client.indices.delete({ index: own, ignore_unavailable: true }, this.requests.management()));
  }

  /** The concrete indices an alias points at; none when it does not exist. */
  async indicesBehind(alias: string): Promise<string[]> {
    const response = await guarded('resolve alias', () => this.client.indices.getAlias({ name: alias }, this.requests.admin([404])));
    if (response.statusCode === 404) return [];
    return Object.keys(response.body ?? {});
  }

  private async single(workspaceId: string): Promise<string> {
    const alias = workspaceAlias(workspaceId);
    const behind = await this.indicesBehind(alias);
    if (behind.length !== 1) throw new Error(`alias ${alias} points at ${behind.length} indices; expected exactly one`);
    return behind[0]!;
  }

  /** One `_aliases` request: atomically remove the alias from one index and (re)define it on another. */
  private async pointAlias(workspaceId: string, change: { remove?: string; add?: string; writable?: boolean }): Promise<void> {
    const alias = workspaceAlias(workspaceId);
    const actions: object[] = [];
    if (change.remove) actions.push({ remove: { index: change.remove, alias } });
    if (change.add) {
      actions.push({
        add: {
          index: change.add,
          alias,
          filter: { term: { workspace_id: workspaceId } },
          routing: workspaceId,
          ...(change.writable === false ? { is_write_index: false } : {}),
        },
      });
    }
    await guarded('workspace alias', () => this.client.indices.updateAliases({ body: { actions } }, this.requests.management()));
  }

  private async ensureSharedIndex(): Promise<string> {
    const index = sharedIndex(this.version);
    const exists = await guarded('shared index', () => this.client.indices.exists({ index }, this.requests.admin()));
    if (exists.statusCode === 200) return index;
    await this.createIndex(index, this.options.sharedShards ?? 2);
    return index;
  }

  private async createIndex(index: string, shards: number): Promise<void> {
    const body = indexDefinition({ replicas: this.options.replicas, shards, version: this.version });
    const response = await guarded('create index', () => this.client.indices.create({ index, body }, this.requests.management([400])));
    // Another replica created it first: fine.
    if (response.statusCode === 400 && errorType(response.body) !== 'resource_already_exists_exception') {
      throw new Error(`could not create ${index}: ${errorType(response.body)}`);
    }
  }

  private async prepareTarget(workspaceId: string, to: string): Promise<void> {
    if (isSharedIndex(to)) {
      await this.ensureSharedIndex();
      await deleteWorkspaceDocuments(this.client, this.requests, workspaceId, to);
      return;
    }
    // A previous attempt may have left the target behind; nobody reads it, so start clean.
    await guarded('move', () => this.client.indices.delete({ index: to, ignore_unavailable: true }, this.requests.management()));
    await this.createIndex(to, 1);
  }

  private async removeCopy(workspaceId: string, index: string): Promise<void> {
    if (isSharedIndex(index)) await deleteWorkspaceDocuments(this.client, this.requests, workspaceId, index);
    else await guarded('move', () => this.client.indices.delete({ index, ignore_unavailable: true }, this.requests.management()));
  }
}
