import { hostname } from 'node:os';
import { ConfigError } from '@tessera/server';

/** The Workspace controller's settings; the Helm chart sets them when workspaceController.enabled is true. */
export interface WorkspaceControllerConfig {
  /** The namespace whose Workspaces are reconciled; undefined means every namespace. */
  readonly namespace?: string;
  readonly leaseNamespace: string;
  readonly leaseName: string;
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  readonly resyncSeconds: number;
  /** The tenant API the controller calls: this very process unless told otherwise. */
  readonly apiUrl: string;
}

/**
 * Reads the controller's variables; undefined unless WORKSPACE_CONTROLLER_ENABLED is "true".
 * `listeningUrl` is where this tenant-api listens (RunningHttpApp.url).
 */
export function loadWorkspaceControllerConfig(env: NodeJS.ProcessEnv, listeningUrl: string): WorkspaceControllerConfig | undefined {
  if ((env.WORKSPACE_CONTROLLER_ENABLED ?? 'false') !== 'true') return undefined;
  const allNamespaces = env.WORKSPACE_CONTROLLER_ALL_NAMESPACES === 'true';
  const namespace = env.WORKSPACE_CONTROLLER_NAMESPACE?.trim() || undefined;
  if (!allNamespaces && !namespace) {
    throw new ConfigError('WORKSPACE_CONTROLLER_NAMESPACE', 'is required (or WORKSPACE_CONTROLLER_ALL_NAMESPACES=true)');
  }
  const leaseNamespace = env.WORKSPACE_CONTROLLER_LEASE_NAMESPACE?.trim() || namespace;
  if (!leaseNamespace) throw new ConfigError('WORKSPACE_CONTROLLER_LEASE_NAMESPACE', 'is required when watching all namespaces');
  const apiUrl = env.WORKSPACE_CONTROLLER_API_URL?.trim() || loopbackUrl(listeningUrl);
  try {
    new URL(apiUrl);
  } catch {
    throw new ConfigError('WORKSPACE_CONTROLLER_API_URL', `is not a URL: "${apiUrl}"`);
  }
  return {
    namespace: allNamespaces ? undefined : namespace,
    leaseNamespace,
    leaseName: env.WORKSPACE_CONTROLLER_LEASE_NAME?.trim() || 'tessera-workspace-controller',
    identity: env.WORKSPACE_CONTROLLER_IDENTITY?.trim() || hostname(),
    leaseDurationSeconds: integer(env, 'WORKSPACE_CONTROLLER_LEASE_DURATION_SECONDS', 15, 5, 300),
    resyncSeconds: integer(env, 'WORKSPACE_CONTROLLER_RESYNC_SECONDS', 300, 10, 86_400),
    apiUrl,
  };
}

/** A server listening on every address is reached on loopback. */
function loopbackUrl(listeningUrl: string): string {
  const url = new URL(listeningUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.toString().replace(/\/+$/, '');
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}
