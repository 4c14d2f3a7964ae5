import type { Client } from '@opensearch-project/opensearch';
import { ADDITIVE_UPGRADES, MAPPING_VERSION_META, type AdditiveUpgrade } from './index-definition';
import { isSharedIndex } from './index-names';
import type { RequestOptions } from './opensearch-client';
import { errorType, guarded } from './opensearch-errors';
import type { MoveLocks } from './move-lock';

/** What happened to one index: no document content, only names and counts (safe to log). */
export interface IndexUpgradeReport {
  readonly index: string;
  /** The mapping version the index held before. */
  readonly from: number;
  readonly to: number;
  /**
   * `upgraded`: mapping extended and documents re-indexed; `current`: nothing to do (already at `to`,
   * or newer); `busy`: another process holds the index's lease and is upgrading it; `reindex_needed`: a
   * change on the way is not additive, reindexWorkspace must rebuild it; `failed`: see `reason` (the next
   * run starts over).
   */
  readonly outcome: 'upgraded' | 'current' | 'busy' | 'reindex_needed' | 'failed';
  /** Documents re-indexed by `_update_by_query` (both passes). */
  readonly updated: number;
  /** Documents skipped because a write changed them meanwhile (that write already used the new mapping). */
  readonly conflicts: number;
  /** Why it failed: the operation and OpenSearch's error kind, never a document or a query. */
  readonly reason?: string;
}

/** Every index Tessera owns with mapping versions: workspaces' own (`tessera-<id>-v<n>`) and shared ones. */
const TESSERA_INDEX = /^tessera-[a-z0-9][a-z0-9_-]*-v(\d+)$|^tessera\.shared-v(\d+)$/;
const INDEX_PATTERNS = ['tessera-*', 'tessera.shared-v*'];

/** The lease key of an index's upgrade in MOVE_LOCK_INDEX; the ':' keeps it apart from workspace ids. */
function leaseKey(index: string): string {
  return `mapping:${index}`;
}

export interface MappingUpgraderOptions {
  /** The version to reach: MAPPING_VERSION, unless a test or a staged rollout says otherwise. */
  readonly target: number;
  /** Bound on one `_update_by_query` task; it is cancelled past it. */
  readonly timeoutMs: number;
  /** How long one poll of the task waits on the node for it to finish. Default 10 s. */
  readonly pollMs?: number;
  /** Aborted (shutdown): stop polling, release the lease; the task finishes or not on its own, and the next run starts over. */
  readonly signal?: AbortSignal;
}

/**
 * Brings existing indices to the current mapping in place when every change on the way is additive
 * (ADDITIVE_UPGRADES), one index at a time, under the index's lease (MoveLocks), so that of several
 * tenant-api replicas starting together one upgrades and the others report `busy`:
 * 1. `PUT <index>/_mapping` with the new fields (a multi-field on an existing field);
 * 2. refresh, then `_update_by_query` (conflicts=proceed, as a task that is polled) over the documents
 *    lacking the new field: each is re-indexed from its `_source` with the new mapping. A document a write
 *    changed meanwhile is a version conflict and skipped: that write came after step 1, so it has the field;
 * 3. a second pass the same way, for writes that were parsed with the old mapping just before step 1 and
 *    were not yet visible to the first pass's snapshot;
 * 4. record the version in the index's `_meta.mapping_version`, so it runs once.
 * Interrupted anywhere, running it again starts over harmlessly. The index keeps its name (`…-v2`): the
 * name says which version created it, `_meta` which mapping it holds.
 */
export class MappingUpgrader {
  constructor(
    private readonly client: Client,
    private readonly requests: RequestOptions,
    private readonly locks: MoveLocks,
    private readonly options: MappingUpgraderOptions,
  ) {}

  /** Every Tessera index on the cluster with the mapping version it holds. */
  async indices(): Promise<Array<{ index: string; version: number }>> {
    const response = await guarded('mapping upgrade', () =>
      this.client.indices.getMapping({ index: INDEX_PATTERNS, expand_wildcards: 'open', allow_no_indices: true }, this.requests.admin([404])),
    );
    if (response.statusCode === 404) return [];
    const body = response.body as Record<string, { mappings?: { _meta?: Record<string, unknown> } }>;
    return Object.entries(body)
      .filter(([index]) => TESSERA_INDEX.test(index))
      .map(([index, { mappings }]) => ({ index, version: mappingVersion(index, mappings?._meta) }))
      .sort((a, b) => a.index.localeCompare(b.index));
  }

  /** Upgrades every index below the target; `onIndex` hears each report as it is made (for logs). */
  async upgradeAll(onIndex: (report: IndexUpgradeReport) => void = () => undefined): Promise<IndexUpgradeReport[]> {
    const reports: IndexUpgradeReport[] = [];
    const to = this.options.target;
    for (const { index, version } of await this.indices()) {
      // One index failing (deleted by a move meanwhile, a task error) does not keep the others back.
      const current: IndexUpgradeReport = { index, from: version, to, outcome: 'current', updated: 0, conflicts: 0 };
      const report = await (version >= to ? Promise.resolve(current) : this.upgrade(index)).catch(
        (error: unknown): IndexUpgradeReport => ({ index, from: version, to, outcome: 'failed', updated: 0, conflicts: 0, reason: error instanceof Error ? error.message : 'unknown error' }),
      );
      reports.push(report);
      onIndex(report);
    }
    return reports;
  }

  /** Upgrades one index (a concrete index name, never an alias). */
  async upgrade(index: string): Promise<IndexUpgradeReport> {
    if (!TESSERA_INDEX.test(index)) throw new Error(`${index} is not a Tessera index`);
    const from = await this.versionOf(index);
    const to = this.options.target;
    const skipped = { index, from, to, updated: 0, conflicts: 0 };
    if (from >= to) return { ...skipped, outcome: 'current' };
    const steps = upgradeSteps(from, to);
    if (!steps) return { ...skipped, outcome: 'reindex_needed' };
    const done = await this.locks.tryHolding(leaseKey(index), async () => {
      // Another replica may have finished between the read above and taking the lease.
      if ((await this.versionOf(index)) >= to) return { ...skipped, outcome: 'current' as const };
      for (const step of steps) {
        await guarded('mapping upgrade', () => this.client.indices.putMapping({ index, body: { properties: step.properties } }, this.requests.management()));
      }
      let updated = 0;
      let conflicts = 0;
      for (let pass = 0; pass < 2; pass++) {
        const counts = await this.reindexMissing(index, steps);
        updated += counts.updated;
        conflicts += counts.conflicts;
      }
      await guarded('mapping upgrade', () =>
        this.client.indices.putMapping({ index, body: { _meta: { [MAPPING_VERSION_META]: to } } }, this.requests.management()),
      );
      return { index, from, to, outcome: 'upgraded' as const, updated, conflicts };
    });
    return done?.value ?? { ...skipped, outcome: 'busy' };
  }

  private async versionOf(index: string): Promise<number> {
    const response = await guarded('mapping upgrade', () => this.client.indices.getMapping({ index }, this.requests.admin()));
    const mappings = (response.body as Record<string, { mappings?: { _meta?: Record<string, unknown> } }>)[index]?.mappings;
    return mappingVersion(index, mappings?._meta);
  }

  /** One `_update_by_query` pass over the documents lacking a new field, run as a task and polled. */
  private async reindexMissing(index: string, steps: readonly AdditiveUpgrade[]): Promise<{ updated: number; conflicts: number }> {
    // Makes every write acknowledged so far visible to the pass's snapshot.
    await guarded('mapping upgrade', () => this.client.indices.refresh({ index }, this.requests.management()));
    const query = { bool: { should: steps.map((step) => ({ bool: { must_not: { exists: { field: step.missing } } } })), minimum_should_match: 1 } };
    const started = await guarded('mapping upgrade', () =>
      this.client.updateByQuery(
        // routing is kept per document: a shared index's documents stay on their workspace's shard.
        { index, conflicts: 'proceed', refresh: true, wait_for_completion: false, slices: isSharedIndex(index) ? 'auto' : 1, body: { query } },
        this.requests.management(),
      ),
    );
    const task = String((started.body as { task?: string }).task);
    const result = await this.awaitTask(task, index);
    if (result.failures.length > 0) throw new Error(`upgrading ${index} reported ${result.failures.length} failures`);
    return { updated: result.updated, conflicts: result.version_conflicts };
  }

  private async awaitTask(task: string, index: string): Promise<{ updated: number; version_conflicts: number; failures: unknown[] }> {
    const deadline = Date.now() + this.options.timeoutMs;
    const pollMs = this.options.pollMs ?? 10_000;
    while (Date.now() < deadline) {
      if (this.options.signal?.aborted) throw new Error(`upgrading ${index} stopped: the process is shutting down`);
      // Waits on the node for the task, up to pollMs; a timeout_exception (500) only means "not yet".
      const response = await guarded('mapping upgrade', () =>
        this.client.tasks.get({ task_id: task, wait_for_completion: true, timeout: `${pollMs}ms` }, this.requests.admin([500], pollMs + 5_000)),
      );
      if (response.statusCode === 500) {
        if (errorType(response.body) === 'timeout_exception') continue;
        throw new Error(`upgrading ${index}: the task failed (${errorType(response.body) ?? 'unknown error'})`);
      }
      const body = response.body as { completed?: boolean; error?: unknown; response?: { updated?: number; version_conflicts?: number; failures?: unknown[] } };
      if (!body.completed) continue;
      if (body.error) throw new Error(`upgrading ${index}: the task failed (${errorType({ error: body.error }) ?? 'unknown error'})`);
      return { updated: body.response?.updated ?? 0, version_conflicts: body.response?.version_conflicts ?? 0, failures: body.response?.failures ?? [] };
    }
    await this.client.tasks.cancel({ task_id: task }, this.requests.admin()).catch(() => undefined);
    throw new Error(`upgrading ${index} took longer than ${this.options.timeoutMs} ms; the task was cancelled`);
  }
}

/** `_meta.mapping_version` when the index has one; otherwise the version in its name (indices created before v3 have no `_meta`). */
function mappingVersion(index: string, meta: Record<string, unknown> | undefined): number {
  const recorded = Number(meta?.[MAPPING_VERSION_META]);
  if (Number.isInteger(recorded) && recorded > 0) return recorded;
  const match = TESSERA_INDEX.exec(index);
  return Number(match?.[1] ?? match?.[2] ?? 0);
}

/** The additive steps from `from` to `to`, or null when one of them is not additive. */
export function upgradeSteps(from: number, to: number): AdditiveUpgrade[] | null {
  const steps: AdditiveUpgrade[] = [];
  for (let version = from + 1; version <= to; version++) {
    const step = ADDITIVE_UPGRADES[version];
    if (!step) return null;
    steps.push(step);
  }
  return steps;
}
