import { randomUUID } from 'node:crypto';
import { MAPPING_VERSION } from '../src/opensearch/index-definition';
import { OpenSearchSearchBackend } from '../src/opensearch/opensearch-search.backend';
import type { OpenSearchBackendOptions } from '../src/opensearch/opensearch-client';
import { OpenSearchFaultProxy } from './opensearch-fault-proxy';

export interface FaultBackend {
  readonly proxy: OpenSearchFaultProxy;
  readonly backend: OpenSearchSearchBackend;
  /** Another adapter through the same proxy, e.g. a newer release with a higher mapping version. */
  adapter(options?: Partial<OpenSearchBackendOptions>): OpenSearchSearchBackend;
  /** A created, empty workspace (dropped by close). */
  newWorkspace(): Promise<string>;
  close(): Promise<void>;
}

/** The OpenSearch adapter talking to a real node through a fault-injecting proxy, with fast retries. */
export async function startFaultBackend(node: string, options: Partial<OpenSearchBackendOptions> = {}): Promise<FaultBackend> {
  const proxy = await OpenSearchFaultProxy.start(node);
  const adapters: OpenSearchSearchBackend[] = [];
  const workspaces: string[] = [];
  const adapter = (extra: Partial<OpenSearchBackendOptions> = {}) => {
    const created = new OpenSearchSearchBackend({ node: proxy.url, replicas: 0, bulkRetry: { attempts: 4, baseDelayMs: 5 }, ...options, ...extra });
    adapters.push(created);
    return created;
  };
  const backend = adapter();
  return {
    proxy,
    backend,
    adapter,
    newWorkspace: async () => {
      const workspaceId = randomUUID();
      workspaces.push(workspaceId);
      await backend.createWorkspace(workspaceId);
      return workspaceId;
    },
    close: async () => {
      proxy.resetBehaviour();
      const cleanup = new OpenSearchSearchBackend({ node, replicas: 0, mappingVersion: (options.mappingVersion ?? MAPPING_VERSION) + 1 });
      await Promise.all(workspaces.map((ws) => cleanup.dropWorkspace(ws)));
      await Promise.all([...adapters, cleanup].map((a) => a.onApplicationShutdown()));
      await proxy.close();
    },
  };
}
