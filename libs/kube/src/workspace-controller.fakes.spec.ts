/**
 * The Workspace controller end to end with @kubernetes/client-node, against FAKES: a recorded fake Kubernetes
 * API and a fake tenant API, both local HTTP servers on 127.0.0.1. No API server or platform runs here.
 */
import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startKubernetesWorkspaceController, type RunningWorkspaceController } from './kubernetes';
import { FakeKubernetesApi } from './testing/fake-kubernetes-api';
import { FakeTenantApi } from './testing/fake-tenant-api';
import { WORKSPACE_FINALIZER, type WorkspaceCondition } from './workspace-resource';

const KUBE_TOKEN = 'kube-service-account-token';
const ADMIN_TOKEN = 'tsa_admin-token-for-the-fake-api-000';
const NS = 'team-a';

async function eventually<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function condition(kube: FakeKubernetesApi, name: string, type: string): WorkspaceCondition | undefined {
  const conditions = (kube.workspace(NS, name)?.status?.conditions ?? []) as WorkspaceCondition[];
  return conditions.find((c) => c.type === type);
}

describe('Workspace controller with a fake Kubernetes API and a fake tenant API', () => {
  const kube = new FakeKubernetesApi(KUBE_TOKEN);
  const platform = new FakeTenantApi(ADMIN_TOKEN);
  const running: RunningWorkspaceController[] = [];

  const start = async (identity: string, scope: 'one namespace' | 'all namespaces' = 'one namespace') => {
    const controller = await startKubernetesWorkspaceController({
      connection: { server: kube.server.url, token: KUBE_TOKEN, skipTlsVerify: true }, // plain http to the fake
      namespace: scope === 'all namespaces' ? undefined : NS,
      leaseNamespace: 'tessera',
      leaseName: 'tessera-workspace-controller',
      identity,
      leaseDurationSeconds: 5,
      renewIntervalMs: 100,
      retryIntervalMs: 100,
      resyncMs: 300,
      informerRestartMs: 100,
      tenantApi: { baseUrl: platform.server.url, adminToken: ADMIN_TOKEN },
    });
    running.push(controller);
    return controller;
  };

  beforeAll(async () => {
    await kube.start();
    await platform.start();
    platform.addTenant('acme');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await kube.stop();
    await platform.stop();
  });

  it('creates the workspace, applies its settings and reports Ready with the connector URL', async () => {
    kube.applyWorkspace(NS, 'acme-kb', { tenant: 'acme', slug: 'kb', name: 'Knowledge base', searchResultLimit: 20, clientPolicy: { allowDynamicRegistration: false } });
    await start('pod-a');
    await eventually('Ready=True', () => condition(kube, 'acme-kb', 'Ready')?.status === 'True');

    const object = kube.workspace(NS, 'acme-kb')!;
    expect(object.metadata.finalizers).toStrictEqual([WORKSPACE_FINALIZER]);
    assert.equal(object.status?.connectorUrl, 'https://tessera.example.com/mcp/acme/kb');
    assert.equal(object.status?.observedGeneration, 1);
    assert.equal(condition(kube, 'acme-kb', 'IndexReady')?.status, 'True');
    assert.equal(platform.workspace('acme', 'kb')?.settings?.searchResultLimit, 20);
    assert.equal(platform.workspace('acme', 'kb')?.settings?.clientPolicy?.allowDynamicRegistration, false);
    expect(platform.writes()).toStrictEqual(['POST /v1/tenants/acme/workspaces', 'PATCH /v1/tenants/acme/workspaces/kb']);
    assert.ok(platform.requests.every((r) => r.headers.authorization === `Bearer ${ADMIN_TOKEN}`));

    // Kubernetes writes: the finalizer by merge patch with a resourceVersion precondition, then the status subresource.
    const patches = kube.requests.filter((r) => r.method === 'PATCH');
    const finalizerPatch = patches.find((r) => r.path === `/apis/tessera.dev/v1alpha1/namespaces/${NS}/workspaces/acme-kb`)!;
    assert.equal(finalizerPatch.headers['content-type'], 'application/merge-patch+json');
    expect((finalizerPatch.body as { metadata: { finalizers: string[] } }).metadata.finalizers).toStrictEqual([WORKSPACE_FINALIZER]);
    assert.match(String((finalizerPatch.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion), /^\d+$/);
    assert.ok(patches.some((r) => r.path.endsWith('/workspaces/acme-kb/status')));
    assert.ok(kube.requests.some((r) => r.method === 'GET' && r.query.watch === 'true' && r.path === `/apis/tessera.dev/v1alpha1/namespaces/${NS}/workspaces`));
  });

  it('is idempotent: resyncs of a settled object write nothing anywhere', async () => {
    await start('pod-a');
    await eventually('Ready=True', () => condition(kube, 'acme-kb', 'Ready')?.status === 'True');
    const workspaceWrites = () => kube.requests.filter((r) => r.method !== 'GET' && r.path.includes('/workspaces')).length;
    const platformWrites = platform.writes().length;
    const kubeWrites = workspaceWrites();
    const platformReads = platform.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // three resync periods
    assert.ok(platform.requests.length > platformReads, 'it did look again');
    assert.equal(platform.writes().length, platformWrites);
    assert.equal(workspaceWrites(), kubeWrites);
  });

  it('sends only what changed when the spec changes, and repairs changes made behind its back', async () => {
    await start('pod-a');
    await eventually('Ready=True', () => condition(kube, 'acme-kb', 'Ready')?.status === 'True');
    platform.requests.length = 0;
    kube.applyWorkspace(NS, 'acme-kb', { tenant: 'acme', slug: 'kb', name: 'Handbook', searchResultLimit: 20, clientPolicy: { allowDynamicRegistration: false } });
    await eventually('the new name', () => platform.workspace('acme', 'kb')?.name === 'Handbook');
    const patch = platform.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.body).toStrictEqual({ name: 'Handbook' });
    await eventually('observedGeneration 2', () => kube.workspace(NS, 'acme-kb')?.status?.observedGeneration === 2);

    platform.requests.length = 0;
    platform.addWorkspace('acme', 'kb', 'Renamed in the API', { searchResultLimit: 3 }); // drift
    await eventually('the drift repaired', () => platform.workspace('acme', 'kb')?.name === 'Handbook' && platform.workspace('acme', 'kb')?.settings?.searchResultLimit === 20);
  });

  it('waits for a missing tenant, then creates the workspace once the tenant exists', async () => {
    kube.applyWorkspace(NS, 'globex-docs', { tenant: 'globex', slug: 'docs', name: 'Docs' });
    await start('pod-a');
    await eventually('TenantNotFound', () => condition(kube, 'globex-docs', 'Ready')?.reason === 'TenantNotFound');
    assert.equal(platform.workspace('globex', 'docs'), undefined);
    platform.addTenant('globex');
    kube.applyWorkspace(NS, 'globex-docs', { tenant: 'globex', slug: 'docs', name: 'Docs v2' });
    await eventually('Ready=True for generation 2', () => condition(kube, 'globex-docs', 'Ready')?.status === 'True' && condition(kube, 'globex-docs', 'Ready')?.observedGeneration === 2);
    assert.equal(platform.workspace('globex', 'docs')?.name, 'Docs v2');
  });

  it('shows an unreachable platform in the status and recovers when it is back', async () => {
    platform.failWith = 503;
    kube.applyWorkspace(NS, 'acme-wiki', { tenant: 'acme', slug: 'wiki', name: 'Wiki' });
    await start('pod-a');
    await eventually('PlatformUnavailable', () => condition(kube, 'acme-wiki', 'Ready')?.reason === 'PlatformUnavailable');
    platform.failWith = undefined;
    await eventually('Ready=True', () => condition(kube, 'acme-wiki', 'Ready')?.status === 'True');
  });

  it('lets only the Lease holder reconcile, and hands over when it stops', async () => {
    const first = await start('pod-a');
    const second = await start('pod-b');
    await eventually('one leader', () => first.elector.isLeader !== second.elector.isLeader);
    const leader = first.elector.isLeader ? first : second;
    const follower = leader === first ? second : first;
    const lease = kube.lease('tessera', 'tessera-workspace-controller')!;
    assert.equal(lease.spec?.holderIdentity, leader === first ? 'pod-a' : 'pod-b');
    assert.match(String(lease.spec?.renewTime), /\.\d{6}Z$/, 'MicroTime with microseconds, as the API server requires');

    platform.requests.length = 0;
    kube.applyWorkspace(NS, 'acme-faq', { tenant: 'acme', slug: 'faq', name: 'FAQ' });
    await eventually('Ready=True', () => condition(kube, 'acme-faq', 'Ready')?.status === 'True');
    assert.deepEqual(platform.writes(), ['POST /v1/tenants/acme/workspaces'], 'created once, not once per replica');

    await leader.stop();
    running.splice(running.indexOf(leader), 1);
    await eventually('the follower takes over', () => follower.elector.isLeader);
    kube.applyWorkspace(NS, 'acme-faq', { tenant: 'acme', slug: 'faq', name: 'Frequently asked' });
    await eventually('the new leader reconciles', () => platform.workspace('acme', 'faq')?.name === 'Frequently asked');
  });

  it('keeps working after the watch is cut', async () => {
    await start('pod-a');
    await eventually('Ready=True', () => condition(kube, 'acme-kb', 'Ready')?.status === 'True');
    const watches = () => kube.requests.filter((r) => r.query.watch === 'true').length;
    const before = watches();
    kube.closeWatches();
    await eventually('a new watch', () => watches() > before);
    kube.applyWorkspace(NS, 'acme-news', { tenant: 'acme', slug: 'news', name: 'News' });
    await eventually('Ready=True', () => condition(kube, 'acme-news', 'Ready')?.status === 'True');
  });

  it('reports a second object for the same workspace as a conflict and never deletes through it', async () => {
    kube.applyWorkspace('team-b', 'kb-copy', { tenant: 'acme', slug: 'kb', name: 'Copy' }, '2030-01-01T00:00:00Z');
    await start('pod-a', 'all namespaces');
    const copyReady = () => ((kube.workspace('team-b', 'kb-copy')?.status?.conditions ?? []) as WorkspaceCondition[]).find((c) => c.type === 'Ready');
    await eventually('Conflict', () => copyReady()?.reason === 'Conflict');
    assert.match(copyReady()!.message, /managed by Workspace team-a\/acme-kb/);
    platform.requests.length = 0;
    kube.deleteWorkspace('team-b', 'kb-copy');
    await eventually('the copy is gone', () => !kube.workspace('team-b', 'kb-copy'));
    expect(platform.writes()).toStrictEqual([]);
    assert.ok(platform.workspace('acme', 'kb'));
  });

  it('deletes the workspace before letting the object go, and keeps it when the policy says Retain', async () => {
    kube.applyWorkspace(NS, 'acme-keep', { tenant: 'acme', slug: 'keep', name: 'Keep', deletionPolicy: 'Retain' });
    await start('pod-a');
    await eventually('Ready=True', () => condition(kube, 'acme-keep', 'Ready')?.status === 'True' && condition(kube, 'acme-kb', 'Ready')?.status === 'True');
    platform.requests.length = 0;
    kube.deleteWorkspace(NS, 'acme-kb');
    kube.deleteWorkspace(NS, 'acme-keep');
    await eventually('both objects gone', () => !kube.workspace(NS, 'acme-kb') && !kube.workspace(NS, 'acme-keep'));
    expect(platform.writes()).toStrictEqual(['DELETE /v1/tenants/acme/workspaces/kb']);
    assert.equal(platform.workspace('acme', 'kb'), undefined);
    assert.ok(platform.workspace('acme', 'keep'));
  });
});
