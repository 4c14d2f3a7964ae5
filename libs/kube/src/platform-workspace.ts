import { DEFAULT_CLIENT_POLICY, DEFAULT_WORKSPACE_SETTINGS, type ClientPolicy } from '@tessera/domain';
import type { WorkspaceSpec } from './workspace-resource';

/** A workspace as the tenant API returns it (`WorkspaceDto`). */
export interface PlatformWorkspace {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly tenant: string;
  readonly connectorUrl: string;
  readonly settings?: {
    readonly searchResultLimit?: number;
    readonly clientPolicy?: Partial<ClientPolicy>;
  };
}

/** What the controller learned from the platform about one workspace. */
export type PlatformObservation =
  | { readonly state: 'present'; readonly workspace: PlatformWorkspace }
  | { readonly state: 'absent' }
  | { readonly state: 'tenant-missing' };

/** The body of `PATCH /v1/tenants/{t}/workspaces/{ws}`; only the fields that differ are sent. */
export interface WorkspacePatch {
  readonly name?: string;
  readonly searchResultLimit?: number;
  /** Always the whole policy: the platform merges a partial one into what it has. */
  readonly clientPolicy?: ClientPolicy;
}

export interface DesiredSettings {
  readonly name: string;
  readonly searchResultLimit: number;
  readonly clientPolicy: ClientPolicy;
}

/** The spec is the whole truth for the fields it has: a field left out means the platform's default. */
export function desiredSettings(spec: WorkspaceSpec): DesiredSettings {
  const policy = spec.clientPolicy ?? {};
  return {
    name: spec.name,
    searchResultLimit: spec.searchResultLimit ?? DEFAULT_WORKSPACE_SETTINGS.searchResultLimit,
    clientPolicy: {
      redirectUris: [...(policy.redirectUris ?? DEFAULT_CLIENT_POLICY.redirectUris)],
      allowLoopbackRedirects: policy.allowLoopbackRedirects ?? DEFAULT_CLIENT_POLICY.allowLoopbackRedirects,
      allowDynamicRegistration: policy.allowDynamicRegistration ?? DEFAULT_CLIENT_POLICY.allowDynamicRegistration,
      allowMetadataDocuments: policy.allowMetadataDocuments ?? DEFAULT_CLIENT_POLICY.allowMetadataDocuments,
    },
  };
}

/** What the platform effectively has, with its defaults filled in the same way. */
export function effectiveSettings(workspace: PlatformWorkspace): DesiredSettings {
  const settings = workspace.settings ?? {};
  return desiredSettings({
    tenant: workspace.tenant,
    slug: workspace.slug,
    name: workspace.name,
    searchResultLimit: settings.searchResultLimit,
    clientPolicy: settings.clientPolicy,
  });
}

/** The PATCH that brings the platform's workspace to the spec, or undefined when it already matches. */
export function settingsPatch(spec: WorkspaceSpec, workspace: PlatformWorkspace): WorkspacePatch | undefined {
  const want = desiredSettings(spec);
  const have = effectiveSettings(workspace);
  const patch: { name?: string; searchResultLimit?: number; clientPolicy?: ClientPolicy } = {};
  if (want.name !== have.name) patch.name = want.name;
  if (want.searchResultLimit !== have.searchResultLimit) patch.searchResultLimit = want.searchResultLimit;
  if (!samePolicy(want.clientPolicy, have.clientPolicy)) patch.clientPolicy = want.clientPolicy;
  return Object.keys(patch).length ? patch : undefined;
}

function samePolicy(a: ClientPolicy, b: ClientPolicy): boolean {
  return (
    a.allowLoopbackRedirects === b.allowLoopbackRedirects &&
    a.allowDynamicRegistration === b.allowDynamicRegistration &&
    a.allowMetadataDocuments === b.allowMetadataDocuments &&
    a.redirectUris.length === b.redirectUris.length &&
    a.redirectUris.every((uri, i) => uri === b.redirectUris[i])
  );
}
