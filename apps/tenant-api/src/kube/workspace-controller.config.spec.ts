import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@tessera/server';
import { loadWorkspaceControllerConfig } from './workspace-controller.config';

const APP_URL = 'http://0.0.0.0:8080';

describe('Workspace controller configuration', () => {
  it('is off unless WORKSPACE_CONTROLLER_ENABLED is exactly "true"', () => {
    assert.equal(loadWorkspaceControllerConfig({}, APP_URL), undefined);
    assert.equal(loadWorkspaceControllerConfig({ WORKSPACE_CONTROLLER_ENABLED: '1', WORKSPACE_CONTROLLER_NAMESPACE: 'a' }, APP_URL), undefined);
  });

  it('reads what the Helm chart sets and calls this process over loopback', () => {
    const config = loadWorkspaceControllerConfig(
      {
        WORKSPACE_CONTROLLER_ENABLED: 'true',
        WORKSPACE_CONTROLLER_NAMESPACE: 'tessera',
        WORKSPACE_CONTROLLER_ALL_NAMESPACES: 'false',
        WORKSPACE_CONTROLLER_LEASE_NAME: 'tessera-workspace-controller',
        WORKSPACE_CONTROLLER_LEASE_NAMESPACE: 'tessera',
        WORKSPACE_CONTROLLER_LEASE_DURATION_SECONDS: '15',
        WORKSPACE_CONTROLLER_RESYNC_SECONDS: '300',
        WORKSPACE_CONTROLLER_IDENTITY: 'tessera-tenant-api-5d9f-abcde',
      },
      APP_URL,
    );
    expect(config).toStrictEqual({
      namespace: 'tessera',
      leaseNamespace: 'tessera',
      leaseName: 'tessera-workspace-controller',
      identity: 'tessera-tenant-api-5d9f-abcde',
      leaseDurationSeconds: 15,
      resyncSeconds: 300,
      apiUrl: 'http://127.0.0.1:8080',
    });
  });

  it('watches every namespace when asked, keeping the Lease in its own', () => {
    const config = loadWorkspaceControllerConfig(
      { WORKSPACE_CONTROLLER_ENABLED: 'true', WORKSPACE_CONTROLLER_ALL_NAMESPACES: 'true', WORKSPACE_CONTROLLER_NAMESPACE: 'tessera', WORKSPACE_CONTROLLER_LEASE_NAMESPACE: 'tessera' },
      'http://[::]:8080',
    );
    assert.equal(config?.namespace, undefined);
    assert.equal(config?.leaseNamespace, 'tessera');
    assert.equal(config?.apiUrl, 'http://[::1]:8080');
  });

  it('fails fast, naming the variable, on settings that cannot work', () => {
    const enabled = { WORKSPACE_CONTROLLER_ENABLED: 'true' };
    assert.throws(() => loadWorkspaceControllerConfig(enabled, APP_URL), (e: unknown) => e instanceof ConfigError && /WORKSPACE_CONTROLLER_NAMESPACE/.test(e.message));
    assert.throws(
      () => loadWorkspaceControllerConfig({ ...enabled, WORKSPACE_CONTROLLER_NAMESPACE: 'a', WORKSPACE_CONTROLLER_LEASE_DURATION_SECONDS: '2' }, APP_URL),
      /WORKSPACE_CONTROLLER_LEASE_DURATION_SECONDS must be an integer from 5 to 300/,
    );
    assert.throws(
      () => loadWorkspaceControllerConfig({ ...enabled, WORKSPACE_CONTROLLER_NAMESPACE: 'a', WORKSPACE_CONTROLLER_API_URL: 'not a url' }, APP_URL),
      /WORKSPACE_CONTROLLER_API_URL/,
    );
  });
});
