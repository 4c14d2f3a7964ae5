import type {
  ConditionStatus,
  WorkspaceCondition,
  WorkspaceConditionType,
  WorkspaceResource,
  WorkspaceStatus,
} from './workspace-resource';

export interface ConditionInput {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

export interface StatusInput {
  readonly ready: ConditionInput;
  readonly indexReady: ConditionInput;
  readonly connectorUrl?: string;
  readonly workspaceId?: string;
}

/** Kubernetes timestamps: RFC 3339 in seconds. */
export function kubeTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The status the object should have. A condition keeps its lastTransitionTime while its status stays the
 * same, so an unchanged world produces an identical status and no write.
 */
export function nextStatus(resource: WorkspaceResource, input: StatusInput, now: Date): WorkspaceStatus {
  const generation = resource.metadata.generation;
  const previous = resource.status?.conditions ?? [];
  const condition = (type: WorkspaceConditionType, value: ConditionInput): WorkspaceCondition => {
    const before = previous.find((c) => c.type === type);
    return {
      type,
      status: value.status,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      lastTransitionTime: before && before.status === value.status ? before.lastTransitionTime : kubeTime(now),
      reason: value.reason,
      message: value.message,
    };
  };
  const connectorUrl = input.connectorUrl ?? resource.status?.connectorUrl;
  const workspaceId = input.workspaceId ?? resource.status?.workspaceId;
  return {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    ...(connectorUrl ? { connectorUrl } : {}),
    ...(workspaceId ? { workspaceId } : {}),
    conditions: [condition('Ready', input.ready), condition('IndexReady', input.indexReady)],
  };
}

/** Whether writing `next` would change anything (conditions compared by type, order aside). */
export function statusChanged(current: WorkspaceStatus | undefined, next: WorkspaceStatus): boolean {
  return canonical(current ?? {}) !== canonical(next);
}

function canonical(status: WorkspaceStatus): string {
  const conditions = [...(status.conditions ?? [])]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((c) => [c.type, c.status, c.observedGeneration ?? null, c.lastTransitionTime, c.reason, c.message]);
  return JSON.stringify([status.observedGeneration ?? null, status.connectorUrl ?? null, status.workspaceId ?? null, conditions]);
}

export function readyCondition(status: WorkspaceStatus | undefined): WorkspaceCondition | undefined {
  return status?.conditions?.find((c) => c.type === 'Ready');
}
