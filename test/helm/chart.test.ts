/**
 * helm lint and helm template with a real helm v3 (DESIGN §8), for the default values, every example in
 * deploy/ and a values file with everything switched on; every rendered object validated with
 * kubernetes-models (@kubernetes-models/prometheus-operator, @kubernetes-models/gateway-api).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { CHART, EXAMPLE_VALUES, REQUIRED_VALUES, find, helm, ofKind, render, renderNotes, ROOT, runHelm, validateObject, type KubeObject } from './chart-support';

const VALUE_SETS: Array<{ readonly name: string; readonly files: string[] }> = [
  { name: 'default values', files: [] },
  ...EXAMPLE_VALUES.map((file) => ({ name: file, files: [file] })),
  { name: 'everything on', files: ['test/helm/values-everything.yaml'] },
  { name: 'a real cluster (OpenShift, private CA, workload identity, scheduling)', files: ['test/helm/values-real-cluster.yaml'] },
];

describe('the tessera chart', () => {
  beforeAll(() => {
    assert.match(runHelm(['version', '--short']).stdout, /^v3\./, `${helm()} is helm v3`);
  });

  it('has the example values the issue asks for', () => {
    expect(EXAMPLE_VALUES).toStrictEqual([
      'deploy/values-dedicated-tenants.yaml',
      'deploy/values-gateway-api.yaml',
      'deploy/values-gitops.yaml',
      'deploy/values-minimal.yaml',
      'deploy/values-opensearch.yaml',
      'deploy/values-production.yaml',
    ]);
  });

  for (const set of VALUE_SETS) {
    describe(set.name, () => {
      let objects: KubeObject[];
      beforeAll(() => {
        objects = render({ valuesFiles: set.files, includeCrds: true });
      });

      it('passes helm lint --strict', () => {
        const result = runHelm(['lint', CHART, '--strict', ...[REQUIRED_VALUES, ...set.files].flatMap((file) => ['-f', join(ROOT, file)])]);
        assert.equal(result.status, 0, result.stdout + result.stderr);
      });

      it('renders only objects that validate against their Kubernetes schemas', () => {
        assert.ok(objects.length > 10);
        for (const object of objects) validateObject(object);
      });

      it('renders the three apps, their Services and the migration hook', () => {
        for (const app of ['tenant-api', 'auth', 'mcp-gateway']) {
          find(objects, 'Deployment', `tessera-${app}`);
          find(objects, 'Service', `tessera-${app}`);
        }
        const job = find<{ metadata: { annotations: Record<string, string> } }>(objects, 'Job', 'tessera-migrate');
        assert.equal(job.metadata.annotations['helm.sh/hook'], 'pre-install,pre-upgrade');
      });

      it('gives every object a unique kind, namespace and name', () => {
        const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
        expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toStrictEqual([]);
      });
    });
  }

  it('validates for real: broken objects of each model package are refused', () => {
    const broken: KubeObject[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'x' }, spec: { endpoints: 'metrics' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'x' }, spec: { rules: [{ matches: [{ path: { type: 'Glob' } }] }] } },
    ];
    for (const object of broken) assert.throws(() => validateObject(object), new RegExp(`${object.kind} x`));
  });

  it('renders Gateway API routes instead of an Ingress when asked', () => {
    const objects = render({ valuesFiles: ['deploy/values-gateway-api.yaml'] });
    assert.equal(ofKind(objects, 'Ingress').length, 0);
    const route = find<{ spec: { parentRefs: unknown[]; hostnames: string[]; rules: unknown[] } }>(objects, 'HTTPRoute', 'tessera');
    expect(route.spec.parentRefs).toStrictEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(route.spec.hostnames).toStrictEqual(['tessera.example.com']);
  });

  it('passes the gateway search and document cache sizes to the apps, 128 MB each unless set', () => {
    const config = (objects: KubeObject[]) => find<{ data: Record<string, string> }>(objects, 'ConfigMap', 'tessera-config').data;
    expect([config(render()).SEARCH_CACHE_MB, config(render()).DOCUMENT_CACHE_MB]).toStrictEqual(['128', '128']);
    const set = config(render({ setJson: { 'config.searchCacheMb': 0, 'config.documentCacheMb': 32 } }));
    expect([set.SEARCH_CACHE_MB, set.DOCUMENT_CACHE_MB]).toStrictEqual(['0', '32']);
    assert.throws(() => render({ setJson: { 'config.documentCacheMb': -1 } }), /documentCacheMb/);
  });

  it('renders the ServiceMonitor and the PrometheusRule only when metrics.serviceMonitor.enabled', () => {
    const off = render();
    assert.equal(ofKind(off, 'ServiceMonitor').length + ofKind(off, 'PrometheusRule').length, 0);
    const on = render({ valuesFiles: ['deploy/values-production.yaml'] });
    const monitor = find<{ spec: { endpoints: Array<{ port: string; path: string }> } }>(on, 'ServiceMonitor', 'tessera');
    expect(monitor.spec.endpoints.map((e) => [e.port, e.path])).toStrictEqual([['metrics', '/metrics']]);
    find(on, 'PrometheusRule', 'tessera');
  });

  it('carries the rules of deploy/prometheus/tessera-rules.yaml unchanged in its PrometheusRule', () => {
    const deployed = parse(readFileSync(join(ROOT, 'deploy/prometheus/tessera-rules.yaml'), 'utf8')) as { spec: unknown };
    const chartCopy = parse(readFileSync(join(CHART, 'files/prometheus-rules.yaml'), 'utf8')) as { spec: unknown };
    assert.deepEqual(chartCopy.spec, deployed.spec, 'run: cp deploy/prometheus/tessera-rules.yaml helm/tessera/files/prometheus-rules.yaml');
    const rendered = find<{ spec: unknown }>(render({ setJson: { 'metrics.serviceMonitor.enabled': true } }), 'PrometheusRule', 'tessera');
    expect(rendered.spec).toStrictEqual(deployed.spec);
  });

  it('prints the connector URL pattern and the next steps after install', () => {
    const notes = renderNotes({ valuesFiles: ['deploy/values-production.yaml'] });
    assert.match(notes, /https:\/\/tessera\.example\.com\/mcp\/<tenant>\/<workspace>/);
    assert.match(notes, /kubectl -n tessera get secret tessera-app -o jsonpath='\{\.data\.TESSERA_ADMIN_TOKEN\}'/);
    assert.match(notes, /POST "\$TESSERA_API_URL\/v1\/tenants"/);
    assert.match(notes, /kind: Workspace/, 'the controller is enabled in production: NOTES shows a Workspace object');
    const minimal = renderNotes({ setJson: { 'tls.enabled': false } });
    assert.match(minimal, /http:\/\/tessera\.example\.com\/mcp\/<tenant>\/<workspace>/);
    assert.match(minimal, /ChatGPT only connects to https URLs/);
  });
});
