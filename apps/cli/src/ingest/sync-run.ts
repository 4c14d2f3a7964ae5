import type { ApiClient } from '../api-client';
import type { CliIo } from '../cli-context';
import { describeError } from '../report-error';

interface SyncRunResponse {
  id: string;
  source: string;
  seen: number;
  deleted: number;
  deletedIds?: string[];
}

/** How many deleted ids are listed before "and N more". */
const LISTED_IDS = 20;

/**
 * `tessera ingest --sync <source>`: opens a run before the upload, so every batch names it, then
 * completes it (the server deletes the source's documents the run did not see) or, when anything
 * failed, abandons it so nothing is deleted.
 */
export class SyncRunClient {
  private constructor(
    private readonly client: ApiClient,
    private readonly path: string,
    readonly id: string,
    readonly source: string,
  ) {}

  static async open(client: ApiClient, workspacePath: string, source: string): Promise<SyncRunClient> {
    const run = await client.postJson<SyncRunResponse>(`${workspacePath}/syncs`, { source });
    return new SyncRunClient(client, `${workspacePath}/syncs/${encodeURIComponent(run.id)}`, run.id, source);
  }

  /** True when completed; prints what was deleted, or why nothing was. */
  async complete(io: CliIo, force: boolean): Promise<boolean> {
    try {
      const run = await this.client.postJson<SyncRunResponse>(`${this.path}:complete`, force ? { force: true } : {});
      const ids = run.deletedIds ?? [];
      const listed = ids.slice(0, LISTED_IDS).join(', ');
      const more = ids.length > LISTED_IDS ? ` and ${ids.length - LISTED_IDS} more` : '';
      io.stdout(`sync ${this.source}: ${run.seen} seen, ${run.deleted} deleted${ids.length ? ` (${listed}${more})` : ''}\n`);
      return true;
    } catch (error) {
      io.stderr(`error: sync ${this.source} not completed: ${describeError(error)}\n`);
      await this.abandon(io, 'completion refused');
      return false;
    }
  }

  async abandon(io: CliIo, why: string): Promise<void> {
    try {
      await this.client.postJson(`${this.path}:abandon`, {});
      io.stderr(`sync ${this.source}: abandoned (${why}); nothing deleted\n`);
    } catch (error) {
      io.stderr(`sync ${this.source}: could not abandon run ${this.id} (${describeError(error)}); it expires by itself and deletes nothing\n`);
    }
  }
}
