/**
 * The runner as main.ts calls it, against FAKES: a recorded fake Kubernetes API (reached through a
 * KUBECONFIG file, as out of cluster) and a fake tenant API standing in for this very process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
// The fakes are test code, deliberately outside @tessera/kube's public entry (and out of the build).
// eslint-disable-next-line no-restricted-imports
import { FakeKubernetesApi } from '../../../../libs/kube/src/testing/fake-kubernetes-api';
// eslint-disable-next-line no-restricted-imports
import { FakeTenantApi } from '../../../../libs/kube/src/testing/fake-tenant-api';
import { startWorkspaceController } from './workspace-controller.runner';

const ADMIN_TOKEN = 'tsa_admin-token-for-the-fake-api-000';

describe('startWorkspaceController with a fake Kubernetes API and a fake tenant API', () => {
  const kube = new FakeKubernetesApi('runner-token');
  const platform = new FakeTenantApi(ADMIN_TOKEN);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-runner-'));

  beforeAll(async () => {
    const server = await kube.start();
    await platform.start();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: fake, cluster: { server: "' + server + '", insecure-skip-tls-verify: true } }]',
        'users: [{ name: runner, user: { token: runner-token } }]',
        'contexts: [{ name: fake, context: { cluster: fake, user: runner } }]',
        'current-context: fake',
      ].join('\n'),
    );
    process.env.KUBECONFIG = kubeconfig;
  });
  afterAll(async () => {
    await kube.stop();
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does nothing, and touches no API, when the controller is not enabled', async () => {
    const handle = await startWorkspaceController({}, { url: platform.server.url, adminToken: ADMIN_TOKEN });
    await handle.stop();
    assert.equal(kube.requests.length, 0);
  });

  it('reconciles Workspaces through the app\'s own URL with the admin token when enabled', async () => {
    platform.addTenant('acme');
    kube.applyWorkspace('tessera', 'acme-kb', { tenant: 'acme', slug: 'kb', name: 'Knowledge base' });
    const port = new URL(platform.server.url).port;
    const handle = await startWorkspaceController(
      {
        WORKSPACE_CONTROLLER_ENABLED: 'true',
        WORKSPACE_CONTROLLER_NAMESPACE: 'tessera',
        WORKSPACE_CONTROLLER_LEASE_NAMESPACE: 'tessera',
        WORKSPACE_CONTROLLER_IDENTITY: 'tenant-api-0',
        WORKSPACE_CONTROLLER_LEASE_DURATION_SECONDS: '5',
      },
      { url: `http://0.0.0.0:${port}`, adminToken: ADMIN_TOKEN }, // what RunningHttpApp.url looks like
    );
    try {
      const deadline = Date.now() + 15_000;
      while (!platform.workspace('acme', 'kb') || !kube.workspace('tessera', 'acme-kb')?.status) {
        if (Date.now() > deadline) throw new Error('the controller did not reconcile');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(kube.workspace('tessera', 'acme-kb')?.status?.connectorUrl, 'https://tessera.example.com/mcp/acme/kb');
      assert.equal(kube.lease('tessera', 'tessera-workspace-controller')?.spec?.holderIdentity, 'tenant-api-0');
    } finally {
      await handle.stop();
    }
    assert.equal(kube.lease('tessera', 'tessera-workspace-controller')?.spec?.holderIdentity, '', 'the Lease is handed back on stop');
  });
});
