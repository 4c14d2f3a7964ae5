import { randomUUID } from 'node:crypto';
import { OpenSearchSearchBackend } from '../../src/opensearch/opensearch-search.backend';
import type { OpenSearchBackendOptions } from '../../src/opensearch/opensearch-client';
import { FakeOpenSearch } from './fake-opensearch';

export interface FakeBackend {
  readonly fake: FakeOpenSearch;
  readonly backend: OpenSearchSearchBackend;
  /** Another adapter on the same fake, e.g. a newer release with a higher mapping version. */
  adapter(options?: Partial<OpenSearchBackendOptions>): OpenSearchSearchBackend;
  /** A created, empty workspace. */
  newWorkspace(): Promise<string>;
  close(): Promise<void>;
}

/** The OpenSearch adapter wired to a fresh fake, with fast retries so failure tests stay quick. */
export async function startFakeBackend(options: Partial<OpenSearchBackendOptions> = {}): Promise<FakeBackend> {
  const fake = await FakeOpenSearch.start();
  const adapters: OpenSearchSearchBackend[] = [];
  const adapter = (extra: Partial<OpenSearchBackendOptions> = {}) => {
    const created = new OpenSearchSearchBackend({ node: fake.url, replicas: 0, bulkRetry: { attempts: 4, baseDelayMs: 5 }, ...options, ...extra });
    adapters.push(created);
    return created;
  };
  const backend = adapter();
  return {
    fake,
    backend,
    adapter,
    newWorkspace: async () => {
      const workspaceId = randomUUID();
      await backend.createWorkspace(workspaceId);
      return workspaceId;
    },
    close: async () => {
      await Promise.all(adapters.map((a) => a.onApplicationShutdown()));
      await fake.close();
    },
  };
}
