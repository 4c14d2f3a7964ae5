/**
 * The Workspace controller's loop: a keyed work queue fed by a watch, one reconcile at a time, each one
 * observe → decide() → act until nothing more is to be done. Kubernetes and the platform are behind small
 * interfaces (kubernetes.ts and tenant-api.client.ts implement them).
 */
import type { PlatformObservation } from './platform-workspace';
import { decide, findConflict, isPlatformWrite, type ReconcileAction, type ReconcileFailure } from './reconcile';
import { failureFrom } from './tenant-api.client';
import { WORKSPACE_FINALIZER, workspaceKey, type WorkspaceResource, type WorkspaceStatus } from './workspace-resource';

/** A cache of Workspace objects kept current by a watch. */
export interface WorkspaceSource {
  start(onChange: (resource: WorkspaceResource) => void, onDelete: (resource: WorkspaceResource) => void): Promise<void>;
  stop(): Promise<void>;
  get(key: string): WorkspaceResource | undefined;
  list(): readonly WorkspaceResource[];
}

/** Writes to Workspace objects. A write against a stale resourceVersion throws; the watch brings the new one. */
export interface WorkspaceStore {
  setFinalizers(resource: WorkspaceResource, finalizers: readonly string[]): Promise<WorkspaceResource>;
  patchStatus(resource: WorkspaceResource, status: WorkspaceStatus): Promise<void>;
}

/** The platform, as tenant-api.client.ts's TenantApiClient offers it. */
export interface WorkspacePlatform {
  observe(tenant: string, slug: string): Promise<PlatformObservation>;
  create(tenant: string, slug: string, name: string): Promise<PlatformObservation>;
  update(tenant: string, slug: string, patch: Extract<ReconcileAction, { type: 'updateWorkspace' }>['patch']): Promise<PlatformObservation>;
  delete(tenant: string, slug: string): Promise<PlatformObservation>;
}

export interface ControllerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface WorkspaceControllerOptions {
  readonly source: WorkspaceSource;
  readonly store: WorkspaceStore;
  readonly platform: WorkspacePlatform;
  readonly logger?: ControllerLogger;
  /** Every so often every object is reconciled again, to repair changes made behind the controller's back. */
  readonly resyncMs?: number;
  readonly now?: () => Date;
}

const MAX_PASSES = 5;
const STALE_WRITE_RETRY_MS = 1_000;

export class WorkspaceController {
  private leading = false;
  private readonly queue = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly attempts = new Map<string, number>();
  private draining: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly logger: ControllerLogger;

  constructor(private readonly options: WorkspaceControllerOptions) {
    this.logger = options.logger ?? { log: () => undefined, warn: () => undefined, error: () => undefined };
  }

  async start(): Promise<void> {
    await this.options.source.start(
      (resource) => this.enqueue(workspaceKey(resource)),
      (resource) => this.forget(workspaceKey(resource)),
    );
    const resyncMs = this.options.resyncMs ?? 300_000;
    this.resyncTimer = setInterval(() => this.enqueueAll(), resyncMs);
    this.resyncTimer.unref();
  }

  async stop(): Promise<void> {
    this.setLeader(false);
    clearInterval(this.resyncTimer);
    await this.options.source.stop();
    await this.draining;
  }

  /** Only the leader reconciles; a replica that becomes leader reconciles everything once. */
  setLeader(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) {
      this.logger.log('became leader: reconciling Workspaces');
      this.enqueueAll();
    } else {
      this.logger.log('not the leader: not reconciling');
      this.queue.clear();
      for (const timer of this.delayed.values()) clearTimeout(timer);
      this.delayed.clear();
    }
  }

  /** Resolves when the queue is empty (tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private enqueueAll(): void {
    for (const resource of this.options.source.list()) this.enqueue(workspaceKey(resource));
  }

  private enqueue(key: string): void {
    if (!this.leading) return;
    this.queue.add(key);
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
      });
    }
  }

  private enqueueAfter(key: string, ms: number): void {
    clearTimeout(this.delayed.get(key));
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.enqueue(key);
    }, ms);
    timer.unref();
    this.delayed.set(key, timer);
  }

  private forget(key: string): void {
    this.queue.delete(key);
    clearTimeout(this.delayed.get(key));
    this.delayed.delete(key);
    this.attempts.delete(key);
  }

  private async drain(): Promise<void> {
    while (this.leading && this.queue.size) {
      const key = this.queue.values().next().value as string;
      this.queue.delete(key);
      try {
        await this.reconcile(key);
      } catch (error) {
        // Kubernetes writes fail on a stale resourceVersion; the watch delivers the newer object soon.
        this.logger.warn(`${key}: ${error instanceof Error ? error.message : String(error)}; retrying`);
        this.enqueueAfter(key, STALE_WRITE_RETRY_MS);
      }
    }
  }

  /** One object: observe, decide, act; again after each platform write, at most MAX_PASSES times. */
  async reconcile(key: string): Promise<void> {
    let resource = this.options.source.get(key);
    if (!resource) return;
    const conflictsWith = findConflict(resource, this.options.source.list());
    let platform: PlatformObservation | undefined;
    let failure: ReconcileFailure | undefined;
    if (!conflictsWith) ({ platform, failure } = await this.observe(resource));

    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const attempt = this.attempts.get(key) ?? 0;
      const actions = decide({ resource, platform, failure, conflictsWith, attempt, now: this.now() });
      let wrotePlatform = false;
      for (const action of actions) {
        switch (action.type) {
          case 'addFinalizer':
            resource = await this.options.store.setFinalizers(resource, [...(resource.metadata.finalizers ?? []), WORKSPACE_FINALIZER]);
            break;
          case 'removeFinalizer':
            await this.options.store.setFinalizers(resource, (resource.metadata.finalizers ?? []).filter((f) => f !== WORKSPACE_FINALIZER));
            this.logger.log(`${key}: released`);
            this.attempts.delete(key);
            return;
          case 'setStatus':
            await this.options.store.patchStatus(resource, action.status);
            resource = { ...resource, status: action.status };
            break;
          case 'requeue':
            this.enqueueAfter(key, action.afterMs);
            break;
          case 'createWorkspace':
          case 'updateWorkspace':
          case 'deleteWorkspace':
            ({ platform, failure } = await this.writePlatform(key, action));
            wrotePlatform = true;
            break;
        }
        if (isPlatformWrite(action)) break;
      }
      if (failure) this.attempts.set(key, attempt + 1);
      else this.attempts.delete(key);
      if (!wrotePlatform) return;
    }
    this.logger.warn(`${key}: not converged after ${MAX_PASSES} passes; retrying later`);
    this.enqueueAfter(key, 30_000);
  }

  private async observe(resource: WorkspaceResource): Promise<{ platform?: PlatformObservation; failure?: ReconcileFailure }> {
    try {
      return { platform: await this.options.platform.observe(resource.spec.tenant, resource.spec.slug) };
    } catch (error) {
      return { failure: failureFrom(error) };
    }
  }

  private async writePlatform(
    key: string,
    action: Extract<ReconcileAction, { type: 'createWorkspace' | 'updateWorkspace' | 'deleteWorkspace' }>,
  ): Promise<{ platform?: PlatformObservation; failure?: ReconcileFailure }> {
    try {
      const { platform } = this.options;
      let result: PlatformObservation;
      if (action.type === 'createWorkspace') result = await platform.create(action.tenant, action.slug, action.name);
      else if (action.type === 'updateWorkspace') result = await platform.update(action.tenant, action.slug, action.patch);
      else result = await platform.delete(action.tenant, action.slug);
      this.logger.log(`${key}: ${action.type} ${action.tenant}/${action.slug}`);
      return { platform: result };
    } catch (error) {
      const failure = failureFrom(error);
      this.logger.warn(`${key}: ${action.type} ${action.tenant}/${action.slug} failed: ${failure.message}`);
      return { failure };
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
