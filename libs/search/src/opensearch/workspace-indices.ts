import type { Client } from '@opensearch-project/opensearch';
import { errorType, guarded } from './opensearch-errors';
import type { RequestOptions } from './opensearch-client';
import { indexDefinition, type IndexDefinitionOptions } from './index-definition';
import { indexVersion, workspaceAlias, workspaceIndex } from './index-names';

export interface ReindexResult {
  readonly alias: string;
  readonly from: string;
  readonly to: string;
  /** Documents copied; 0 with `swapped: false` when the index already had the current mapping. */
  readonly copied: number;
  readonly swapped: boolean;
}

/**
 * The lifecycle of workspace indices, with the service account: create behind the alias, drop, and
 * reindex into a new mapping version with an atomic alias swap.
 */
export class WorkspaceIndices {
  /** The version new indices get: MAPPING_VERSION, unless a test or a staged rollout says otherwise. */
  private readonly version: number;

  constructor(
    private readonly client: Client,
    private readonly requests: RequestOptions,
    private readonly definition: IndexDefinitionOptions,
    mappingVersion: number,
  ) {
    this.version = mappingVersion;
  }

  /** Idempotent: a workspace whose alias exists keeps its index, whatever its version. */
  async create(workspaceId: string): Promise<void> {
    const alias = workspaceAlias(workspaceId);
    if ((await this.indicesBehind(alias)).length > 0) return;
    const index = workspaceIndex(workspaceId, this.version);
    // Index and alias in one request: there is never an index that readers cannot reach by alias.
    const response = await guarded('create workspace', () =>
      this.client.indices.create(
        { index, body: { ...indexDefinition(this.definition), aliases: { [alias]: {} } } },
        this.requests.admin([400]),
      ),
    );
    if (response.statusCode !== 400) return;
    // Another replica created it first (or a failed create left the index without its alias).
    if (errorType(response.body) !== 'resource_already_exists_exception') throw new Error(`could not create ${index}: ${errorType(response.body)}`);
    await guarded('create workspace', () => this.client.indices.putAlias({ index, name: alias }, this.requests.admin()));
  }

  /** Deletes every index of the workspace: the one behind the alias and any left by an interrupted reindex. */
  async drop(workspaceId: string): Promise<void> {
    const behind = await this.indicesBehind(workspaceAlias(workspaceId));
    const versions = Array.from({ length: this.version }, (_, i) => workspaceIndex(workspaceId, i + 1));
    // Named, never a wildcard: clusters commonly refuse wildcard deletes (action.destructive_requires_name).
    const names = [...new Set([...behind, ...versions])];
    await guarded('drop workspace', () => this.client.indices.delete({ index: names, ignore_unavailable: true }, this.requests.admin()));
  }

  /**
   * Moves a workspace to the current mapping version while search keeps working:
   * 1. create `…-v<mapping version>` (not yet behind the alias);
   * 2. block writes to the old index, so no write lands after the copy has read it — writers get
   *    a retryable "refuses writes" failure, per document, instead of a silently lost update;
   * 3. `_reindex` old → new (the new index analyzes every document with its own mapping);
   * 4. swap the alias in ONE `_aliases` call (remove old + add new): readers see the old index or
   *    the new one, never both and never neither;
   * 5. delete the old index.
   * On failure before the swap the new index is deleted and the old one accepts writes again.
   */
  async reindex(workspaceId: string): Promise<ReindexResult> {
    const alias = workspaceAlias(workspaceId);
    const behind = await this.indicesBehind(alias);
    if (behind.length !== 1) throw new Error(`alias ${alias} points at ${behind.length} indices; expected exactly one`);
    const from = behind[0]!;
    const version = indexVersion(workspaceId, from);
    if (version === this.version) return { alias, from, to: from, copied: 0, swapped: false };
    if (version !== null && version > this.version) throw new Error(`${from} is newer than this code's mapping (v${this.version})`);
    const to = workspaceIndex(workspaceId, this.version);

    // A previous attempt may have left the target behind; nobody reads it, so start clean.
    await guarded('reindex', () => this.client.indices.delete({ index: to, ignore_unavailable: true }, this.requests.admin()));
    await guarded('reindex', () => this.client.indices.create({ index: to, body: indexDefinition(this.definition) }, this.requests.admin()));
    await this.blockWrites(from, true);
    let copied: number;
    try {
      copied = await this.copy(from, to);
      await guarded('reindex', () =>
        this.client.indices.updateAliases(
          { body: { actions: [{ remove: { index: from, alias } }, { add: { index: to, alias } }] } },
          this.requests.admin(),
        ),
      );
    } catch (error) {
      await this.blockWrites(from, false).catch(() => undefined);
      await this.client.indices.delete({ index: to, ignore_unavailable: true }, this.requests.admin()).catch(() => undefined);
      throw error;
    }
    await guarded('reindex', () => this.client.indices.delete({ index: from }, this.requests.admin()));
    return { alias, from, to, copied, swapped: true };
  }

  /** The concrete indices an alias points at; none when it does not exist. */
  async indicesBehind(alias: string): Promise<string[]> {
    const response = await guarded('resolve alias', () => this.client.indices.getAlias({ name: alias }, this.requests.admin([404])));
    if (response.statusCode === 404) return [];
    return Object.keys(response.body ?? {});
  }

  private async copy(from: string, to: string): Promise<number> {
    const response = await guarded('reindex', () =>
      this.client.reindex(
        { body: { source: { index: from }, dest: { index: to } }, refresh: true, wait_for_completion: true },
        this.requests.reindex(),
      ),
    );
    const body = response.body as { total?: number; created?: number; failures?: unknown[] };
    if ((body.failures ?? []).length > 0) throw new Error(`reindex ${from} → ${to} reported ${body.failures!.length} failures`);
    return body.created ?? body.total ?? 0;
  }

  private async blockWrites(index: string, blocked: boolean): Promise<void> {
    await guarded('reindex', () =>
      this.client.indices.putSettings({ index, body: { index: { blocks: { write: blocked } } } }, this.requests.admin()),
    );
  }
}
