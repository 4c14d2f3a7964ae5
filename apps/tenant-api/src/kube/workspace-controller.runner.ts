import { Logger } from '@nestjs/common';
import { startKubernetesWorkspaceController } from '@tessera/kube';
import { loadWorkspaceControllerConfig } from './workspace-controller.config';

export interface WorkspaceControllerHandle {
  /** Hands the leader Lease back and stops watching; resolves at once when the controller is off. */
  stop(): Promise<void>;
}

const OFF: WorkspaceControllerHandle = { stop: async () => undefined };

/**
 * Starts the Workspace controller inside the tenant API when WORKSPACE_CONTROLLER_ENABLED=true; otherwise
 * does nothing (and does not load the Kubernetes client). The controller calls this process's own tenant
 * API at `app.url` with the admin token, like any other API client.
 */
export async function startWorkspaceController(
  env: NodeJS.ProcessEnv,
  app: { readonly url: string; readonly adminToken: string },
): Promise<WorkspaceControllerHandle> {
  const config = loadWorkspaceControllerConfig(env, app.url);
  if (!config) return OFF;
  const logger = new Logger('WorkspaceController');
  const running = await startKubernetesWorkspaceController({
    namespace: config.namespace,
    leaseNamespace: config.leaseNamespace,
    leaseName: config.leaseName,
    identity: config.identity,
    leaseDurationSeconds: config.leaseDurationSeconds,
    resyncMs: config.resyncSeconds * 1000,
    tenantApi: { baseUrl: config.apiUrl, adminToken: app.adminToken },
    logger: { log: (m) => logger.log(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) },
  });
  logger.log(`watching Workspaces in ${config.namespace ?? 'all namespaces'} as ${config.identity}`);
  return running;
}
