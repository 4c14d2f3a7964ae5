/**
 * The Workspace controller's decisions, as pure functions: given a Workspace object and what the platform
 * has, which actions bring the two together. The I/O layer (workspace-controller.ts) observes, calls
 * decide(), performs the actions in order and, after a platform write, observes and decides again.
 */
import { settingsPatch, type PlatformObservation, type WorkspacePatch } from './platform-workspace';
import { WORKSPACE_FINALIZER, workspaceKey, type WorkspaceResource, type WorkspaceStatus } from './workspace-resource';
import { nextStatus, statusChanged, type ConditionInput, type StatusInput } from './workspace-status';

export type ReconcileAction =
  | { readonly type: 'addFinalizer' }
  | { readonly type: 'removeFinalizer' }
  | { readonly type: 'createWorkspace'; readonly tenant: string; readonly slug: string; readonly name: string }
  | { readonly type: 'updateWorkspace'; readonly tenant: string; readonly slug: string; readonly patch: WorkspacePatch }
  | { readonly type: 'deleteWorkspace'; readonly tenant: string; readonly slug: string }
  | { readonly type: 'setStatus'; readonly status: WorkspaceStatus }
  | { readonly type: 'requeue'; readonly afterMs: number };

export type FailureReason = 'PlatformUnavailable' | 'Unauthorized' | 'InvalidSpec' | 'NotConverged';

/** A platform call that failed; retryable failures are tried again with backoff. */
export interface ReconcileFailure {
  readonly reason: FailureReason;
  readonly message: string;
  readonly retryable: boolean;
}

export interface ReconcileInput {
  readonly resource: WorkspaceResource;
  /** What the platform has; absent when it could not be asked (then `failure` says why) or need not be. */
  readonly platform?: PlatformObservation;
  readonly failure?: ReconcileFailure;
  /** Another Workspace object that claimed the same tenant and slug first (namespace/name). */
  readonly conflictsWith?: string;
  /** Consecutive failed attempts for this object, for backoff. */
  readonly attempt?: number;
  readonly now: Date;
}

export const TENANT_MISSING_RETRY_MS = 30_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 300_000;

export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 20)));
}

/** Platform writes end an action list: after one, the caller observes again and decides anew. */
export function isPlatformWrite(action: ReconcileAction): boolean {
  return action.type === 'createWorkspace' || action.type === 'updateWorkspace' || action.type === 'deleteWorkspace';
}

export function decide(input: ReconcileInput): ReconcileAction[] {
  const { resource } = input;
  const hasFinalizer = (resource.metadata.finalizers ?? []).includes(WORKSPACE_FINALIZER);
  return resource.metadata.deletionTimestamp
    ? decideDeletion(input, hasFinalizer)
    : [...(hasFinalizer ? [] : [{ type: 'addFinalizer' } as const]), ...decideLive(input)];
}

function decideDeletion(input: ReconcileInput, hasFinalizer: boolean): ReconcileAction[] {
  const { resource, platform, failure } = input;
  if (!hasFinalizer) return [];
  // Never delete a workspace that another object owns, nor one the spec says to keep.
  if (input.conflictsWith || resource.spec.deletionPolicy === 'Retain') return [{ type: 'removeFinalizer' }];
  if (failure) {
    return [
      ...statusAction(input, {
        ready: { status: 'False', reason: failure.reason, message: `deleting: ${failure.message}` },
        indexReady: unknown('Deleting', 'the workspace is being deleted'),
      }),
      { type: 'requeue', afterMs: backoffMs(input.attempt ?? 0) },
    ];
  }
  if (!platform || platform.state !== 'present') return [{ type: 'removeFinalizer' }];
  return [{ type: 'deleteWorkspace', tenant: resource.spec.tenant, slug: resource.spec.slug }];
}

function decideLive(input: ReconcileInput): ReconcileAction[] {
  const { resource, platform, failure } = input;
  const { tenant, slug, name } = resource.spec;
  if (input.conflictsWith) {
    return statusAction(input, {
      ready: {
        status: 'False',
        reason: 'Conflict',
        message: `workspace ${tenant}/${slug} is managed by Workspace ${input.conflictsWith}; this object is ignored`,
      },
      indexReady: unknown('Conflict', 'not managed by this object'),
    });
  }
  if (failure) {
    return [
      ...statusAction(input, { ready: { status: 'False', reason: failure.reason, message: failure.message }, indexReady: unknown(failure.reason, 'unknown') }),
      ...(failure.retryable ? [{ type: 'requeue', afterMs: backoffMs(input.attempt ?? 0) } as const] : []),
    ];
  }
  if (!platform) return [];
  switch (platform.state) {
    case 'tenant-missing':
      return [
        ...statusAction(input, {
          ready: { status: 'False', reason: 'TenantNotFound', message: `tenant "${tenant}" does not exist; create it with the tenant API` },
          indexReady: unknown('TenantNotFound', 'no workspace yet'),
        }),
        { type: 'requeue', afterMs: TENANT_MISSING_RETRY_MS },
      ];
    case 'absent':
      return [{ type: 'createWorkspace', tenant, slug, name }];
    case 'present': {
      const patch = settingsPatch(resource.spec, platform.workspace);
      if (patch) return [{ type: 'updateWorkspace', tenant, slug, patch }];
      return statusAction(input, {
        ready: { status: 'True', reason: 'Reconciled', message: 'the workspace exists with the declared settings' },
        // The platform creates a workspace's search index in the same request that creates the workspace.
        indexReady: { status: 'True', reason: 'IndexCreated', message: 'the search index exists' },
        connectorUrl: platform.workspace.connectorUrl,
        workspaceId: platform.workspace.id,
      });
    }
  }
}

function statusAction(input: ReconcileInput, status: StatusInput): ReconcileAction[] {
  const next = nextStatus(input.resource, status, input.now);
  return statusChanged(input.resource.status, next) ? [{ type: 'setStatus', status: next }] : [];
}

function unknown(reason: string, message: string): ConditionInput {
  return { status: 'Unknown', reason, message };
}

/**
 * Two objects may name the same tenant and slug (say, in two namespaces). The first one created owns the
 * workspace; the others only report the conflict, and deleting them never deletes the workspace.
 */
export function findConflict(resource: WorkspaceResource, all: readonly WorkspaceResource[]): string | undefined {
  const claimants = all.filter((other) => other.spec?.tenant === resource.spec.tenant && other.spec?.slug === resource.spec.slug);
  const owner = [...claimants, resource].sort(byAge)[0];
  return owner && workspaceKey(owner) !== workspaceKey(resource) ? workspaceKey(owner) : undefined;
}

function byAge(a: WorkspaceResource, b: WorkspaceResource): number {
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  if (at !== bt) return at < bt ? -1 : 1;
  return workspaceKey(a).localeCompare(workspaceKey(b));
}
