import { Injectable } from '@nestjs/common';
import type { WorkspaceContext } from '@tessera/domain';
import { WorkspaceRepository } from '@tessera/persistence';
import { InvalidationEvents } from '@tessera/server';
import type { MaybePromise } from '../common/maybe-promise';
import { TtlCache } from '../verification/ttl-cache';

const FOUND_TTL_MS = 30_000;
const MISSING_TTL_MS = 2_000;

/** Resolves a connector URL's slugs to its workspace, cached; deletion in this process drops it at once. */
@Injectable()
export class WorkspaceResolver {
  private readonly cache = new TtlCache<WorkspaceContext | null>(FOUND_TTL_MS, 20_000);

  constructor(
    private readonly workspaces: WorkspaceRepository,
    events: InvalidationEvents,
  ) {
    events.onWorkspaceChanged((tenant, workspace) => this.cache.delete(`${tenant}/${workspace}`));
  }

  /** At once when cached; otherwise from the database. */
  resolve(tenantSlug: string, workspaceSlug: string): MaybePromise<WorkspaceContext | null> {
    const key = `${tenantSlug}/${workspaceSlug}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    return this.workspaces.findContext(tenantSlug, workspaceSlug).then((context) => {
      this.cache.set(key, context, context ? FOUND_TTL_MS : MISSING_TTL_MS);
      return context;
    });
  }
}
