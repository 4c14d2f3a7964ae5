import { Client } from '@opensearch-project/opensearch';
import { OpenSearchUnavailableError } from './opensearch-errors';
import { basicAuthorization, type BasicCredentials, type WorkspaceCredentialsResolver } from './workspace-credentials';

export interface OpenSearchBackendOptions {
  /** The cluster's URL (a load balancer or one node), http or https. */
  readonly node: string;
  /** The service account: index management (create, drop, reindex), health, and data access by default. */
  readonly auth?: BasicCredentials;
  /** PEM of the CA that signed the cluster's certificate, when it is not a public one. */
  readonly caPem?: string;
  /** Every request rejects after this long; the gateway then says "temporarily unavailable". Default 3000. */
  readonly requestTimeoutMs?: number;
  /** Replica shards of each workspace index. Default 1. */
  readonly replicas?: number;
  /** Per-workspace users for search, get, upsert and delete (see docs/opensearch.md). */
  readonly workspaceCredentials?: WorkspaceCredentialsResolver;
  /** Bulk writes retried on 429/503: attempts in all, and the first backoff. Default 4 and 100 ms. */
  readonly bulkRetry?: { readonly attempts: number; readonly baseDelayMs: number };
  /** multi_match `minimum_should_match` for search; unset (any term matches) by default, see search-query.ts. */
  readonly minimumShouldMatch?: string;
  /**
   * The mapping version new indices get, and reindexWorkspace moves to. Defaults to MAPPING_VERSION;
   * set only by tests and by a staged rollout that must keep creating the previous version.
   */
  readonly mappingVersion?: number;
  /** Primary shards of the index small workspaces share. Default 2. */
  readonly sharedShards?: number;
  /** A workspace with more documents moves from the shared index to one of its own on rebalance. Default 50,000. */
  readonly dedicatedAboveDocuments?: number;
  /** A reindex copies the whole workspace in one request, so it gets its own bound. Default 30 min. */
  readonly reindexTimeoutMs?: number;
  /**
   * Writes that may have moved a workspace across the size line schedule its rebalance in the
   * background (AutoRebalancer); `recountAfterMs` (default 60 s) bounds how stale its count may get.
   * false: only explicit rebalanceWorkspace calls move workspaces. On by default.
   */
  readonly autoRebalance?: false | { readonly recountAfterMs?: number };
  /** How long one poll of a mapping upgrade's task waits on the node. Default 10 s. */
  readonly upgradePollMs?: number;
  /** Aborting it stops a running mapping upgrade at its next poll (shutdown). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 3_000;
const MANAGEMENT_TIMEOUT_MS = 30_000;
/** Readiness probes are frequent and must answer before the kubelet's own timeout. */
const PING_TIMEOUT_MS = 1_500;

export function createClient(options: OpenSearchBackendOptions): Client {
  return new Client({
    node: options.node,
    auth: options.auth,
    ssl: options.caPem ? { ca: options.caPem } : undefined,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // The client would retry timeouts and 502–504 up to 3 times, turning a 3 s bound into 12 s.
    // Retries happen here instead, only where they are safe and worth it (bulk writes on 429/503).
    maxRetries: 0,
    // A dead single node would otherwise be "resurrected" by pinging it in the background.
    resurrectStrategy: 'none',
  });
}

/** Per-request options: the timeout, and the workspace's own credentials when it has some. */
export class RequestOptions {
  private readonly timeoutMs: number;

  constructor(private readonly options: OpenSearchBackendOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** For reads and writes of one workspace's documents. */
  async workspace(workspaceId: string, ignore: number[] = []) {
    const credentials = await this.credentials(workspaceId);
    return {
      requestTimeout: this.timeoutMs,
      ignore,
      ...(credentials ? { headers: { authorization: basicAuthorization(credentials) } } : {}),
    };
  }

  private async credentials(workspaceId: string): Promise<BasicCredentials | null> {
    if (!this.options.workspaceCredentials) return null;
    try {
      return await this.options.workspaceCredentials(workspaceId);
    } catch {
      // Fail closed, and say what failed without repeating what the resolver read.
      throw new OpenSearchUnavailableError('credentials', 'the workspace credentials could not be read');
    }
  }

  /** For index management with the service account. */
  admin(ignore: number[] = [], requestTimeout = this.timeoutMs) {
    return { requestTimeout, ignore };
  }

  /**
   * For creating and deleting indices and changing aliases: each waits for the cluster state to be
   * published (and a new index for its primary shard), which a busy cluster or one with thousands of
   * indices takes seconds to do; the search bound would fail them for no reason.
   */
  management(ignore: number[] = []) {
    return { requestTimeout: Math.max(this.timeoutMs, MANAGEMENT_TIMEOUT_MS), ignore };
  }

  ping() {
    return { requestTimeout: Math.min(this.timeoutMs, PING_TIMEOUT_MS) };
  }

  reindex() {
    return { requestTimeout: this.options.reindexTimeoutMs ?? 30 * 60_000 };
  }
}
