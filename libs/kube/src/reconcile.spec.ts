import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { CHATGPT_REDIRECT_URIS } from '@tessera/domain';
import type { PlatformObservation, PlatformWorkspace } from './platform-workspace';
import { backoffMs, decide, findConflict, TENANT_MISSING_RETRY_MS, type ReconcileAction, type ReconcileInput } from './reconcile';
import { WORKSPACE_FINALIZER, type WorkspaceResource, type WorkspaceSpec, type WorkspaceStatus } from './workspace-resource';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const LATER = new Date('2026-11-27T12:05:00.000Z');

function workspace(overrides: { spec?: Partial<WorkspaceSpec>; finalizers?: string[]; deleting?: boolean; status?: WorkspaceStatus; name?: string; namespace?: string; created?: string } = {}): WorkspaceResource {
  return {
    apiVersion: 'tessera.dev/v1alpha1',
    kind: 'Workspace',
    metadata: {
      name: overrides.name ?? 'acme-kb',
      namespace: overrides.namespace ?? 'team-a',
      generation: 3,
      resourceVersion: '41',
      creationTimestamp: overrides.created ?? '2026-11-01T00:00:00Z',
      finalizers: overrides.finalizers ?? [WORKSPACE_FINALIZER],
      ...(overrides.deleting ? { deletionTimestamp: '2026-11-27T11:59:00Z' } : {}),
    },
    spec: { tenant: 'acme', slug: 'kb', name: 'Knowledge base', ...overrides.spec },
    ...(overrides.status ? { status: overrides.status } : {}),
  };
}

function platformWorkspace(settings: PlatformWorkspace['settings'] = {}, name = 'Knowledge base'): PlatformWorkspace {
  return {
    id: 'ws-1',
    slug: 'kb',
    name,
    tenant: 'acme',
    connectorUrl: 'https://tessera.example.com/mcp/acme/kb',
    settings: {
      searchResultLimit: 10,
      clientPolicy: { redirectUris: [...CHATGPT_REDIRECT_URIS], allowLoopbackRedirects: true, allowDynamicRegistration: true, allowMetadataDocuments: true },
      ...settings,
    },
  };
}

const present = (ws = platformWorkspace()): PlatformObservation => ({ state: 'present', workspace: ws });
const run = (input: Partial<ReconcileInput> & { resource: WorkspaceResource }): ReconcileAction[] => decide({ now: NOW, ...input });
const types = (actions: ReconcileAction[]) => actions.map((a) => a.type);

describe('Workspace reconcile decisions', () => {
  it('adds the finalizer before anything else, then creates a missing workspace', () => {
    const actions = run({ resource: workspace({ finalizers: [] }), platform: { state: 'absent' } });
    expect(actions).toStrictEqual([{ type: 'addFinalizer' }, { type: 'createWorkspace', tenant: 'acme', slug: 'kb', name: 'Knowledge base' }]);
  });

  it('keeps other controllers\' finalizers untouched and adds only its own once', () => {
    const actions = run({ resource: workspace({ finalizers: ['example.com/other', WORKSPACE_FINALIZER] }), platform: { state: 'absent' } });
    expect(types(actions)).toStrictEqual(['createWorkspace']);
  });

  it('reports Ready when the platform matches the spec, with the connector URL and generation', () => {
    const [action] = run({ resource: workspace(), platform: present() });
    assert.equal(action.type, 'setStatus');
    const status = (action as Extract<ReconcileAction, { type: 'setStatus' }>).status;
    assert.equal(status.connectorUrl, 'https://tessera.example.com/mcp/acme/kb');
    assert.equal(status.workspaceId, 'ws-1');
    assert.equal(status.observedGeneration, 3);
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration, c.lastTransitionTime])).toStrictEqual([
        ['Ready', 'True', 'Reconciled', 3, '2026-11-27T12:00:00Z'],
        ['IndexReady', 'True', 'IndexCreated', 3, '2026-11-27T12:00:00Z'],
      ]);
  });

  it('is idempotent: a Ready object whose platform workspace matches needs no action at all', () => {
    const [first] = run({ resource: workspace(), platform: present() });
    const settled = workspace({ status: (first as Extract<ReconcileAction, { type: 'setStatus' }>).status });
    expect(run({ resource: settled, platform: present(), now: LATER })).toStrictEqual([]);
  });

  it('patches only what differs, sending the whole client policy because the platform merges it', () => {
    const resource = workspace({ spec: { name: 'KB', clientPolicy: { allowDynamicRegistration: false } } });
    const actions = run({ resource, platform: present() });
    expect(actions).toStrictEqual([
      {
        type: 'updateWorkspace',
        tenant: 'acme',
        slug: 'kb',
        patch: {
          name: 'KB',
          clientPolicy: { redirectUris: [...CHATGPT_REDIRECT_URIS], allowLoopbackRedirects: true, allowDynamicRegistration: false, allowMetadataDocuments: true },
        },
      },
    ]);
  });

  it('treats a field left out of the spec as the platform default and resets drift to it', () => {
    const drifted = present(platformWorkspace({ searchResultLimit: 25 }));
    expect(run({ resource: workspace(), platform: drifted })).toStrictEqual([{ type: 'updateWorkspace', tenant: 'acme', slug: 'kb', patch: { searchResultLimit: 10 } }]);
  });

  it('compares redirect URIs in order and exactly', () => {
    const resource = workspace({ spec: { clientPolicy: { redirectUris: ['https://chatgpt.com/connector/oauth/*'] } } });
    const [action] = run({ resource, platform: present() });
    assert.equal(action.type, 'updateWorkspace');
    expect((action as Extract<ReconcileAction, { type: 'updateWorkspace' }>).patch.clientPolicy?.redirectUris).toStrictEqual(['https://chatgpt.com/connector/oauth/*']);
  });

  it('waits for a tenant that does not exist yet, saying so in Ready', () => {
    const actions = run({ resource: workspace(), platform: { state: 'tenant-missing' } });
    expect(types(actions)).toStrictEqual(['setStatus', 'requeue']);
    const status = (actions[0] as Extract<ReconcileAction, { type: 'setStatus' }>).status;
    assert.equal(status.conditions?.[0].reason, 'TenantNotFound');
    assert.equal(status.conditions?.[0].status, 'False');
    expect(actions[1]).toStrictEqual({ type: 'requeue', afterMs: TENANT_MISSING_RETRY_MS });
  });

  it('backs off exponentially on retryable platform failures and stops retrying a refused spec', () => {
    const unavailable = run({ resource: workspace(), failure: { reason: 'PlatformUnavailable', message: 'HTTP 503', retryable: true }, attempt: 3 });
    expect(unavailable.at(-1)).toStrictEqual({ type: 'requeue', afterMs: 8_000 });
    const refused = run({ resource: workspace(), failure: { reason: 'InvalidSpec', message: 'bad redirect URI', retryable: false } });
    expect(types(refused)).toStrictEqual(['setStatus']);
    assert.equal(backoffMs(100), 300_000);
  });

  it('keeps lastTransitionTime while a condition keeps its status', () => {
    const [first] = run({ resource: workspace(), platform: { state: 'tenant-missing' } });
    const waiting = workspace({ status: (first as Extract<ReconcileAction, { type: 'setStatus' }>).status });
    expect(types(run({ resource: waiting, platform: { state: 'tenant-missing' }, now: LATER }))).toStrictEqual(['requeue']);
    const [ready] = run({ resource: waiting, platform: present(), now: LATER });
    const readyCondition = (ready as Extract<ReconcileAction, { type: 'setStatus' }>).status.conditions?.[0];
    assert.equal(readyCondition?.lastTransitionTime, '2026-11-27T12:05:00Z');
  });

  describe('deletion', () => {
    it('deletes the platform workspace first, then releases the object', () => {
      const deleting = workspace({ deleting: true });
      expect(run({ resource: deleting, platform: present() })).toStrictEqual([{ type: 'deleteWorkspace', tenant: 'acme', slug: 'kb' }]);
      expect(run({ resource: deleting, platform: { state: 'absent' } })).toStrictEqual([{ type: 'removeFinalizer' }]);
      expect(run({ resource: deleting, platform: { state: 'tenant-missing' } })).toStrictEqual([{ type: 'removeFinalizer' }]);
    });

    it('retains the workspace when the spec says Retain', () => {
      expect(run({ resource: workspace({ deleting: true, spec: { deletionPolicy: 'Retain' } }), platform: present() })).toStrictEqual([{ type: 'removeFinalizer' }]);
    });

    it('keeps the finalizer while the platform cannot be reached', () => {
      const actions = run({ resource: workspace({ deleting: true }), failure: { reason: 'PlatformUnavailable', message: 'timeout', retryable: true } });
      expect(types(actions)).toStrictEqual(['setStatus', 'requeue']);
    });

    it('does nothing for an object that is going away without its finalizer', () => {
      expect(run({ resource: workspace({ deleting: true, finalizers: [] }), platform: present() })).toStrictEqual([]);
    });
  });

  describe('two objects naming the same workspace', () => {
    const owner = workspace({ name: 'first', namespace: 'team-a', created: '2026-11-01T00:00:00Z' });
    const copy = workspace({ name: 'second', namespace: 'team-b', created: '2026-11-02T00:00:00Z' });

    it('lets the older object own it and marks the other as conflicting', () => {
      assert.equal(findConflict(owner, [owner, copy]), undefined);
      assert.equal(findConflict(copy, [owner, copy]), 'team-a/first');
      const other = workspace({ name: 'other', spec: { slug: 'other' } });
      assert.equal(findConflict(other, [owner, copy, other]), undefined);
    });

    it('never writes to the platform for the conflicting object', () => {
      const actions = run({ resource: copy, conflictsWith: 'team-a/first' });
      expect(types(actions)).toStrictEqual(['setStatus']);
      const status = (actions[0] as Extract<ReconcileAction, { type: 'setStatus' }>).status;
      assert.equal(status.conditions?.[0].reason, 'Conflict');
    });

    it('never deletes the owner\'s workspace when the conflicting object is deleted', () => {
      expect(run({ resource: workspace({ name: 'second', deleting: true }), conflictsWith: 'team-a/first', platform: present() })).toStrictEqual([{ type: 'removeFinalizer' }]);
    });
  });
});
