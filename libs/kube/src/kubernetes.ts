/**
 * The Kubernetes side of the Workspace controller, on @kubernetes/client-node: an informer (list + watch)
 * over Workspaces, merge patches for finalizers (with a resourceVersion precondition) and the status
 * subresource, and a coordination.k8s.io Lease for leader election.
 *
 * client-node is loaded only when a controller starts: it is large, and most processes never need it.
 */
import type * as k8s from '@kubernetes/client-node';
import { LeaderElector, type LeaseRecord, type LeaseStore, type StoredLease } from './leader-election';
import { TenantApiClient } from './tenant-api.client';
import {
  WorkspaceController,
  type ControllerLogger,
  type WorkspacePlatform,
  type WorkspaceSource,
  type WorkspaceStore,
} from './workspace-controller';
import {
  WORKSPACE_GROUP,
  WORKSPACE_PLURAL,
  WORKSPACE_VERSION,
  type WorkspaceResource,
  type WorkspaceStatus,
} from './workspace-resource';

type ClientNode = typeof k8s;

/** Where the Kubernetes API is; without it, KUBECONFIG or the in-cluster service account. */
export interface KubernetesConnection {
  readonly server: string;
  readonly token?: string;
  readonly skipTlsVerify?: boolean;
}

export interface KubernetesWorkspaceControllerOptions {
  readonly connection?: KubernetesConnection;
  /** The namespace to watch; undefined watches all namespaces. */
  readonly namespace?: string;
  readonly leaseNamespace: string;
  readonly leaseName: string;
  /** This replica's name in the Lease (the pod name). */
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  readonly resyncMs: number;
  /** The tenant API: its base URL and the platform admin token. */
  readonly tenantApi: { readonly baseUrl: string; readonly adminToken: string } | WorkspacePlatform;
  readonly logger?: ControllerLogger;
  /** Leader-election timing overrides (tests). */
  readonly renewIntervalMs?: number;
  readonly retryIntervalMs?: number;
  readonly informerRestartMs?: number;
}

export interface RunningWorkspaceController {
  readonly controller: WorkspaceController;
  readonly elector: LeaderElector;
  stop(): Promise<void>;
}

/** Starts the informer and leader election; the controller reconciles while this replica leads. */
export async function startKubernetesWorkspaceController(options: KubernetesWorkspaceControllerOptions): Promise<RunningWorkspaceController> {
  const client: ClientNode = await import('@kubernetes/client-node');
  const kubeConfig = new client.KubeConfig();
  if (options.connection) {
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'cluster', server: options.connection.server, skipTLSVerify: options.connection.skipTlsVerify ?? false }],
      users: [{ name: 'controller', token: options.connection.token }],
      contexts: [{ name: 'controller', cluster: 'cluster', user: 'controller' }],
      currentContext: 'controller',
    });
  } else {
    kubeConfig.loadFromDefault();
  }
  const customObjects = kubeConfig.makeApiClient(client.CustomObjectsApi);
  const logger = options.logger;
  const platform = 'baseUrl' in options.tenantApi ? new TenantApiClient(options.tenantApi) : options.tenantApi;
  const controller = new WorkspaceController({
    source: new InformerWorkspaceSource(client, kubeConfig, customObjects, options.namespace, logger, options.informerRestartMs ?? 5_000),
    store: new CustomObjectWorkspaceStore(client, customObjects),
    platform,
    logger,
    resyncMs: options.resyncMs,
  });
  const elector = new LeaderElector(
    new KubernetesLeaseStore(client, kubeConfig.makeApiClient(client.CoordinationV1Api), options.leaseNamespace, options.leaseName),
    {
      identity: options.identity,
      leaseDurationSeconds: options.leaseDurationSeconds,
      renewIntervalMs: options.renewIntervalMs,
      retryIntervalMs: options.retryIntervalMs,
      onStartedLeading: () => controller.setLeader(true),
      onStoppedLeading: () => controller.setLeader(false),
      onError: (error) => logger?.warn(`leader election: ${describe(error)}`),
    },
  );
  await controller.start();
  elector.start();
  return {
    controller,
    elector,
    async stop() {
      await elector.stop();
      await controller.stop();
    },
  };
}

class InformerWorkspaceSource implements WorkspaceSource {
  private informer: (k8s.Informer<WorkspaceResource & k8s.KubernetesObject> & k8s.ObjectCache<WorkspaceResource & k8s.KubernetesObject>) | undefined;
  private stopped = false;
  private restart: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ClientNode,
    private readonly kubeConfig: k8s.KubeConfig,
    private readonly api: k8s.CustomObjectsApi,
    private readonly namespace: string | undefined,
    private readonly logger: ControllerLogger | undefined,
    private readonly restartMs: number,
  ) {}

  async start(onChange: (resource: WorkspaceResource) => void, onDelete: (resource: WorkspaceResource) => void): Promise<void> {
    const base = `/apis/${WORKSPACE_GROUP}/${WORKSPACE_VERSION}`;
    const path = this.namespace ? `${base}/namespaces/${this.namespace}/${WORKSPACE_PLURAL}` : `${base}/${WORKSPACE_PLURAL}`;
    const list = () =>
      (this.namespace
        ? this.api.listNamespacedCustomObject({ group: WORKSPACE_GROUP, version: WORKSPACE_VERSION, namespace: this.namespace, plural: WORKSPACE_PLURAL })
        : this.api.listClusterCustomObject({ group: WORKSPACE_GROUP, version: WORKSPACE_VERSION, plural: WORKSPACE_PLURAL })) as Promise<
        k8s.KubernetesListObject<WorkspaceResource & k8s.KubernetesObject>
      >;
    const informer = this.client.makeInformer<WorkspaceResource & k8s.KubernetesObject>(this.kubeConfig, path, list);
    informer.on('add', onChange);
    informer.on('update', onChange);
    informer.on('delete', onDelete);
    informer.on('error', (error: unknown) => {
      if (this.stopped) return;
      this.logger?.warn(`watching Workspaces: ${describe(error)}; restarting in ${this.restartMs} ms`);
      this.restart = setTimeout(() => void informer.start().catch(() => undefined), this.restartMs);
      this.restart.unref();
    });
    this.informer = informer;
    await informer.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    await this.informer?.stop();
  }

  get(key: string): WorkspaceResource | undefined {
    const [namespace, name] = key.split('/', 2);
    return this.informer?.get(name, namespace);
  }

  list(): readonly WorkspaceResource[] {
    return this.informer?.list() ?? [];
  }
}

class CustomObjectWorkspaceStore implements WorkspaceStore {
  constructor(
    private readonly client: ClientNode,
    private readonly api: k8s.CustomObjectsApi,
  ) {}

  async setFinalizers(resource: WorkspaceResource, finalizers: readonly string[]): Promise<WorkspaceResource> {
    // A merge patch replaces the whole list; the resourceVersion precondition keeps other finalizers safe.
    const body = { metadata: { finalizers: [...finalizers], resourceVersion: resource.metadata.resourceVersion } };
    return (await this.api.patchNamespacedCustomObject(
      { ...this.target(resource), body },
      this.client.setHeaderOptions('Content-Type', this.client.PatchStrategy.MergePatch),
    )) as WorkspaceResource;
  }

  async patchStatus(resource: WorkspaceResource, status: WorkspaceStatus): Promise<void> {
    await this.api.patchNamespacedCustomObjectStatus(
      { ...this.target(resource), body: { status } },
      this.client.setHeaderOptions('Content-Type', this.client.PatchStrategy.MergePatch),
    );
  }

  private target(resource: WorkspaceResource) {
    return {
      group: WORKSPACE_GROUP,
      version: WORKSPACE_VERSION,
      plural: WORKSPACE_PLURAL,
      namespace: resource.metadata.namespace,
      name: resource.metadata.name,
    };
  }
}

class KubernetesLeaseStore implements LeaseStore {
  constructor(
    private readonly client: ClientNode,
    private readonly api: k8s.CoordinationV1Api,
    private readonly namespace: string,
    private readonly name: string,
  ) {}

  async get(): Promise<StoredLease | undefined> {
    try {
      const lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace });
      const spec = lease.spec ?? {};
      return {
        resourceVersion: lease.metadata?.resourceVersion ?? '',
        record: {
          holderIdentity: spec.holderIdentity,
          leaseDurationSeconds: spec.leaseDurationSeconds,
          acquireTime: toDate(spec.acquireTime),
          renewTime: toDate(spec.renewTime),
          leaseTransitions: spec.leaseTransitions,
        },
      };
    } catch (error) {
      if (error instanceof this.client.ApiException && error.code === 404) return undefined;
      throw error;
    }
  }

  async create(record: LeaseRecord): Promise<void> {
    await this.api.createNamespacedLease({
      namespace: this.namespace,
      body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec: this.spec(record) },
    });
  }

  async replace(record: LeaseRecord, resourceVersion: string): Promise<void> {
    await this.api.replaceNamespacedLease({
      name: this.name,
      namespace: this.namespace,
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.name, namespace: this.namespace, resourceVersion },
        spec: this.spec(record),
      },
    });
  }

  /** MicroTime fields must be written with microseconds, as the API server parses them. */
  private spec(record: LeaseRecord): k8s.V1LeaseSpec {
    const micro = (date: Date | undefined) => (date ? new this.client.V1MicroTime(date.getTime()) : undefined);
    return {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      acquireTime: micro(record.acquireTime),
      renewTime: micro(record.renewTime),
      leaseTransitions: record.leaseTransitions,
    };
  }
}

function toDate(value: Date | string | undefined): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    return `${String((error as { message: unknown }).message).split('\n')[0]} (${String((error as { code: unknown }).code)})`;
  }
  return error instanceof Error ? error.message : String(error);
}
