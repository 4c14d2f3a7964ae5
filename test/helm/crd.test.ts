/**
 * The Workspace CRD (helm/tessera/files/crds/, rendered by templates/crds.yaml): it parses, is a valid CustomResourceDefinition, its OpenAPI schema
 * is well-formed, accepts the objects the docs show and the controller writes, and refuses bad ones.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { WORKSPACE_API_VERSION, WORKSPACE_FINALIZER, WORKSPACE_KIND, type WorkspaceResource, type WorkspaceSpec } from '@tessera/kube';
import { CHART, render, validateObject, type KubeObject } from './chart-support';

interface Crd extends KubeObject {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string };
    versions: Array<{ name: string; served: boolean; storage: boolean; subresources?: { status?: object }; schema: { openAPIV3Schema: Record<string, unknown> } }>;
  };
}

const crd = parse(readFileSync(join(CHART, 'files', 'crds', 'workspaces.tessera.dev.yaml'), 'utf8')) as Crd;
const openApi = crd.spec.versions[0].schema.openAPIV3Schema as { properties: { spec: { properties: Record<string, unknown> } } };

/** A spec with every field the controller's type has: if WorkspaceSpec gains a field, this stops compiling. */
const FULL_SPEC: Required<WorkspaceSpec> = {
  tenant: 'acme',
  slug: 'kb',
  name: 'Knowledge base',
  searchResultLimit: 20,
  clientPolicy: {
    redirectUris: ['https://chatgpt.com/connector_platform_oauth_redirect', 'https://chatgpt.com/connector/oauth/*', 'http://127.0.0.1:8976/callback'],
    allowLoopbackRedirects: false,
    allowDynamicRegistration: false,
    allowMetadataDocuments: true,
  },
  deletionPolicy: 'Retain',
};

const example = (spec: unknown, status?: unknown): unknown => ({
  apiVersion: WORKSPACE_API_VERSION,
  kind: WORKSPACE_KIND,
  metadata: { name: 'acme-kb', namespace: 'tessera', finalizers: [WORKSPACE_FINALIZER] },
  spec,
  ...(status ? { status } : {}),
});

describe('the Workspace CRD', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    // Kubernetes' structural-schema extensions are annotations to a JSON Schema validator.
    const ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(ajv);
    for (const keyword of ['x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-preserve-unknown-fields']) ajv.addKeyword(keyword);
    validate = ajv.compile(crd.spec.versions[0].schema.openAPIV3Schema);
  });

  it('is a valid namespaced v1alpha1 CRD for workspaces.tessera.dev with a status subresource', () => {
    validateObject(crd);
    assert.equal(crd.metadata.name, 'workspaces.tessera.dev');
    assert.equal(crd.spec.group, 'tessera.dev');
    assert.equal(crd.spec.scope, 'Namespaced');
    expect([crd.spec.names.kind, crd.spec.names.plural]).toStrictEqual(['Workspace', 'workspaces']);
    expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage, Boolean(v.subresources?.status)])).toStrictEqual([['v1alpha1', true, true, true]]);
  });

  it('is rendered only when crds.enabled, kept on uninstall unless crds.keep is false, and never from crds/', () => {
    assert.equal(render({ includeCrds: true }).filter((o) => o.kind === 'CustomResourceDefinition').length, 0, 'not installed unless asked');
    const [rendered] = render({ setJson: { 'crds.enabled': true } }).filter((o) => o.kind === 'CustomResourceDefinition') as Crd[];
    validateObject(rendered);
    expect(rendered.spec).toStrictEqual(crd.spec);
    assert.equal(rendered.metadata.annotations?.['helm.sh/resource-policy'], 'keep');
    assert.equal(rendered.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm');
    const [unkept] = render({ setJson: { 'crds.enabled': true, 'crds.keep': false } }).filter((o) => o.kind === 'CustomResourceDefinition');
    assert.equal(unkept.metadata.annotations?.['helm.sh/resource-policy'], undefined);
  });

  it('has exactly the fields of the controller\'s WorkspaceSpec', () => {
    expect(Object.keys(openApi.properties.spec.properties).sort()).toStrictEqual(Object.keys(FULL_SPEC).sort());
  });

  it('accepts the minimal object the docs show and a full one with the status the controller writes', () => {
    assert.ok(validate(example({ tenant: 'acme', slug: 'kb', name: 'Knowledge base' })), JSON.stringify(validate.errors));
    const status: WorkspaceResource['status'] = {
      observedGeneration: 2,
      connectorUrl: 'https://tessera.example.com/mcp/acme/kb',
      workspaceId: '6f1c2b9e-1111-4c3a-9d7e-000000000001',
      conditions: [
        { type: 'Ready', status: 'True', observedGeneration: 2, lastTransitionTime: '2026-11-27T12:00:00Z', reason: 'Reconciled', message: 'the workspace exists with the declared settings' },
        { type: 'IndexReady', status: 'True', observedGeneration: 2, lastTransitionTime: '2026-11-27T12:00:00Z', reason: 'IndexCreated', message: 'the search index exists' },
      ],
    };
    assert.ok(validate(example(FULL_SPEC, status)), JSON.stringify(validate.errors));
  });

  const BAD: Array<[string, unknown]> = [
    ['no tenant', { slug: 'kb', name: 'KB' }],
    ['a slug with capitals', { tenant: 'acme', slug: 'KB', name: 'KB' }],
    ['a tenant slug with a trailing hyphen', { tenant: 'acme-', slug: 'kb', name: 'KB' }],
    ['an empty name', { tenant: 'acme', slug: 'kb', name: '' }],
    ['searchResultLimit above 50', { tenant: 'acme', slug: 'kb', name: 'KB', searchResultLimit: 51 }],
    ['searchResultLimit as a string', { tenant: 'acme', slug: 'kb', name: 'KB', searchResultLimit: '10' }],
    ['a plain-http redirect URI', { tenant: 'acme', slug: 'kb', name: 'KB', clientPolicy: { redirectUris: ['http://evil.example/cb'] } }],
    ['a redirect URI with a wildcard inside', { tenant: 'acme', slug: 'kb', name: 'KB', clientPolicy: { redirectUris: ['https://*.example/cb'] } }],
    ['a redirect URI with a fragment', { tenant: 'acme', slug: 'kb', name: 'KB', clientPolicy: { redirectUris: ['https://app.example/cb#x'] } }],
    ['a client policy switch as a string', { tenant: 'acme', slug: 'kb', name: 'KB', clientPolicy: { allowDynamicRegistration: 'no' } }],
    ['an unknown deletion policy', { tenant: 'acme', slug: 'kb', name: 'KB', deletionPolicy: 'Orphan' }],
  ];
  for (const [what, spec] of BAD) {
    it(`refuses ${what}`, () => assert.equal(validate(example(spec)), false));
  }

  it('refuses a condition without reason or with an unknown status', () => {
    const spec = { tenant: 'acme', slug: 'kb', name: 'KB' };
    assert.equal(validate(example(spec, { conditions: [{ type: 'Ready', status: 'Yes', lastTransitionTime: '2026-11-27T12:00:00Z', reason: 'X', message: '' }] })), false);
    assert.equal(validate(example(spec, { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-27T12:00:00Z', message: '' }] })), false);
    assert.equal(validate(example(spec, { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'yesterday', reason: 'X', message: '' }] })), false);
  });

  it('makes tenant and slug immutable with a CEL rule (enforced by the API server)', () => {
    const rules = (openApi.properties.spec as { 'x-kubernetes-validations'?: Array<{ rule: string }> })['x-kubernetes-validations'];
    expect(rules?.map((r) => r.rule)).toStrictEqual(['self.tenant == oldSelf.tenant && self.slug == oldSelf.slug']);
  });
});
