/** The Workspace custom resource (helm/tessera/files/crds/workspaces.tessera.dev.yaml), as the controller reads it. */

export const WORKSPACE_GROUP = 'tessera.dev';
export const WORKSPACE_VERSION = 'v1alpha1';
export const WORKSPACE_PLURAL = 'workspaces';
export const WORKSPACE_KIND = 'Workspace';
export const WORKSPACE_API_VERSION = `${WORKSPACE_GROUP}/${WORKSPACE_VERSION}`;
/** Held on every Workspace the controller manages, so deleting the object first deletes the workspace. */
export const WORKSPACE_FINALIZER = 'tessera.dev/workspace';

export interface WorkspaceClientPolicySpec {
  readonly redirectUris?: readonly string[];
  readonly allowLoopbackRedirects?: boolean;
  readonly allowDynamicRegistration?: boolean;
  readonly allowMetadataDocuments?: boolean;
}

export type DeletionPolicy = 'Delete' | 'Retain';

export interface WorkspaceSpec {
  readonly tenant: string;
  readonly slug: string;
  readonly name: string;
  readonly searchResultLimit?: number;
  readonly clientPolicy?: WorkspaceClientPolicySpec;
  /** Delete (the default) removes the platform's workspace with the object; Retain leaves it. */
  readonly deletionPolicy?: DeletionPolicy;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type WorkspaceConditionType = 'Ready' | 'IndexReady';

export interface WorkspaceCondition {
  readonly type: WorkspaceConditionType;
  readonly status: ConditionStatus;
  readonly observedGeneration?: number;
  readonly lastTransitionTime: string;
  readonly reason: string;
  readonly message: string;
}

export interface WorkspaceStatus {
  readonly observedGeneration?: number;
  readonly connectorUrl?: string;
  readonly workspaceId?: string;
  readonly conditions?: readonly WorkspaceCondition[];
}

export interface WorkspaceMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly finalizers?: readonly string[];
}

export interface WorkspaceResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: WorkspaceMetadata;
  readonly spec: WorkspaceSpec;
  readonly status?: WorkspaceStatus;
}

/** namespace/name: how the controller's queue and logs name an object. */
export function workspaceKey(resource: Pick<WorkspaceResource, 'metadata'>): string {
  return `${resource.metadata.namespace}/${resource.metadata.name}`;
}
