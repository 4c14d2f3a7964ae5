/**
 * Where requests go: the Ingress and HTTPRoute path rules (longest prefix wins, so a dedicated gateway
 * takes its tenants' /mcp/<tenant>/), and which connections the NetworkPolicies allow.
 */
import assert from 'node:assert/strict';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { find, ofKind, render, type KubeObject } from './chart-support';

interface IngressSpec {
  spec: {
    ingressClassName?: string;
    tls?: Array<{ hosts: string[]; secretName: string }>;
    rules: Array<{ host: string; http: { paths: Array<{ path: string; pathType: string; backend: { service: { name: string; port: { name: string } } } }> } }>;
  };
}
interface RouteSpec {
  spec: { rules: Array<{ matches: Array<{ path: { type: string; value: string } }>; backendRefs: Array<{ name: string; namespace?: string; port: number }> }> };
}
interface PolicySpec {
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    ingress?: Array<{ from?: unknown[]; ports?: Array<{ port: number | string }> }>;
    egress?: Array<{ to?: Array<Record<string, unknown>>; ports?: Array<{ port: number | string; protocol?: string }> }>;
  };
}

/** The backend an Ingress sends a request path to, by the longest matching Prefix rule (as controllers do). */
function ingressBackend(ingresses: Array<KubeObject & IngressSpec>, path: string): string | undefined {
  const candidates = ingresses.flatMap((ingress) =>
    ingress.spec.rules.flatMap((rule) =>
      rule.http.paths
        .filter((p) => p.pathType === 'Prefix' && (path === p.path || path.startsWith(`${p.path.replace(/\/$/, '')}/`)))
        .map((p) => ({ length: p.path.length, backend: `${ingress.metadata.namespace}/${p.backend.service.name}` })),
    ),
  );
  return candidates.sort((a, b) => b.length - a.length)[0]?.backend;
}

function routeBackend(route: KubeObject & RouteSpec, path: string): string | undefined {
  const candidates = route.spec.rules.flatMap((rule) =>
    rule.matches
      .filter((m) => m.path.type === 'PathPrefix' && (path === m.path.value || path.startsWith(`${m.path.value}/`)))
      .map((m) => ({ length: m.path.value.length, backend: `${rule.backendRefs[0].namespace ?? route.metadata.namespace}/${rule.backendRefs[0].name}` })),
  );
  return candidates.sort((a, b) => b.length - a.length)[0]?.backend;
}

const EXPECTED: Array<[string, string]> = [
  ['/mcp/northwind/handbook', 'tessera/tessera-mcp-gateway'],
  ['/.well-known/oauth-protected-resource/mcp/northwind/handbook', 'tessera/tessera-mcp-gateway'],
  ['/oauth/authorize', 'tessera/tessera-auth'],
  ['/oauth/interaction/abc', 'tessera/tessera-auth'],
  ['/.well-known/oauth-authorization-server', 'tessera/tessera-auth'],
  ['/.well-known/openid-configuration', 'tessera/tessera-auth'],
  ['/v1/tenants', 'tessera/tessera-tenant-api'],
  ['/scim/v2/acme/Users', 'tessera/tessera-tenant-api'],
  ['/docs', 'tessera/tessera-tenant-api'],
  ['/docs/openapi.json', 'tessera/tessera-tenant-api'],
];

describe('routing', () => {
  it('sends each path to its app, over TLS, on the configured host', () => {
    const objects = render();
    const ingresses = ofKind<IngressSpec>(objects, 'Ingress');
    assert.equal(ingresses.length, 1);
    for (const [path, backend] of EXPECTED) assert.equal(ingressBackend(ingresses, path), backend, path);
    for (const path of ['/healthz', '/readyz', '/metrics', '/mcpx', '/']) assert.equal(ingressBackend(ingresses, path), undefined, `${path} is not exposed`);
    expect(ingresses[0].spec.tls).toStrictEqual([{ hosts: ['tessera.example.com'], secretName: 'tessera-tls' }]);
    expect(ingresses[0].spec.rules.map((r) => r.host)).toStrictEqual(['tessera.example.com']);
    assert.ok(ingresses[0].spec.rules[0].http.paths.every((p) => p.backend.service.port.name === 'http'));
  });

  describe('dedicated tenants', () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = render({ valuesFiles: ['deploy/values-dedicated-tenants.yaml'] });
    });

    it('routes only the listed tenants to their dedicated gateway; the shared gateway keeps everyone else', () => {
      const ingresses = ofKind<IngressSpec>(objects, 'Ingress');
      const cases: Array<[string, string]> = [
        ['/mcp/acme/kb', 'tenant-acme/tessera-gateway-acme'],
        ['/mcp/acme', 'tenant-acme/tessera-gateway-acme'],
        ['/.well-known/oauth-protected-resource/mcp/acme/kb', 'tenant-acme/tessera-gateway-acme'],
        ['/mcp/globex/docs', 'tessera/tessera-gateway-partners'],
        ['/mcp/initech/wiki', 'tessera/tessera-gateway-partners'],
        ['/mcp/acme2/kb', 'tessera/tessera-mcp-gateway'],
        ['/mcp/northwind/handbook', 'tessera/tessera-mcp-gateway'],
        ['/.well-known/oauth-protected-resource/mcp/northwind/handbook', 'tessera/tessera-mcp-gateway'],
        ['/oauth/token', 'tessera/tessera-auth'],
      ];
      for (const [path, backend] of cases) assert.equal(ingressBackend(ingresses, path), backend, path);
    });

    it('gives a tenant in its own namespace its own Ingress (same host and TLS Secret), Deployment, Service, policies and quota', () => {
      const own = find<IngressSpec>(objects, 'Ingress', 'tessera-dedicated', 'tenant-acme');
      expect(own.spec.tls).toStrictEqual([{ hosts: ['tessera.example.com'], secretName: 'tessera-tls' }]);
      assert.equal(own.spec.ingressClassName, 'nginx');
      expect(own.spec.rules[0].http.paths.map((p) => p.path)).toStrictEqual(['/mcp/acme', '/.well-known/oauth-protected-resource/mcp/acme']);
      const main = find<IngressSpec>(objects, 'Ingress', 'tessera');
      assert.ok(!main.spec.rules[0].http.paths.some((p) => p.path.includes('/mcp/acme')), 'an Ingress names only Services of its own namespace');
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']) find(objects, kind, 'tessera-gateway-acme', 'tenant-acme');
      find(objects, 'ConfigMap', 'tessera-config', 'tenant-acme');
      assert.deepEqual(ofKind(objects, 'Secret').filter((s) => s.metadata.namespace === 'tenant-acme'), [], 'acme names its own Secret: nothing is copied there');
      const quota = find<{ spec: { hard: Record<string, string> } }>(objects, 'ResourceQuota', 'tessera-gateway-acme', 'tenant-acme');
      expect(quota.spec.hard).toStrictEqual({ 'limits.memory': '4Gi', pods: '10', 'requests.cpu': '2', 'requests.memory': '2Gi' });
      assert.equal(ofKind(objects, 'ResourceQuota').length, 1, 'a tenant in the release namespace gets no quota');
    });

    it('runs the dedicated gateway like the shared one, with its own replicas and resources', () => {
      const acme = find<{ spec: { replicas: number; template: { spec: { containers: Array<{ command: string[]; resources: unknown }> } } } }>(objects, 'Deployment', 'tessera-gateway-acme', 'tenant-acme');
      assert.equal(acme.spec.replicas, 2);
      expect(acme.spec.template.spec.containers[0].command).toStrictEqual(['node', 'dist/apps/mcp-gateway/src/main.js']);
      expect(acme.spec.template.spec.containers[0].resources).toStrictEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '768Mi' } });
      find(objects, 'HorizontalPodAutoscaler', 'tessera-gateway-partners');
    });

    it('routes the same way through Gateway API, granting the cross-namespace reference', () => {
      const routed = render({ valuesFiles: ['deploy/values-dedicated-tenants.yaml'], setJson: { 'ingress.enabled': false, 'httpRoute.enabled': true, 'httpRoute.parentRefs': [{ name: 'public', namespace: 'gateway-system' }] } });
      const route = find<RouteSpec>(routed, 'HTTPRoute', 'tessera');
      for (const [path, backend] of [...EXPECTED, ['/mcp/acme/kb', 'tenant-acme/tessera-gateway-acme'], ['/mcp/globex/x', 'tessera/tessera-gateway-partners']] as Array<[string, string]>) {
        assert.equal(routeBackend(route, path), backend, path);
      }
      assert.ok(route.spec.rules.length <= 16, 'Gateway API allows at most 16 rules per route');
      const grant = find<{ spec: { from: unknown[]; to: unknown[] } }>(routed, 'ReferenceGrant', 'tessera-httproute', 'tenant-acme');
      expect(grant.spec.from).toStrictEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'tessera' }]);
    });
  });
});

describe('network policies and in-cluster connections', () => {
  let objects: KubeObject[];
  beforeAll(() => {
    objects = render({ valuesFiles: ['test/helm/values-everything.yaml'] });
  });
  const policy = (name: string, namespace = 'tessera') => find<PolicySpec>(objects, 'NetworkPolicy', name, namespace);
  const egressPorts = (p: PolicySpec) => p.spec.egress?.flatMap((rule) => rule.ports?.map((port) => Number(port.port)) ?? []).sort((a, b) => a - b) ?? [];

  it('points the gateways at the auth Service for JWKS, not at the public host', () => {
    for (const [name, namespace] of [['tessera-mcp-gateway', 'tessera'], ['tessera-gateway-acme', 'tenant-acme']]) {
      const deployment = find<{ spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } } }>(objects, 'Deployment', name, namespace);
      const jwks = deployment.spec.template.spec.containers[0].env.find((e) => e.name === 'AUTH_JWKS_URL');
      assert.equal(jwks?.value, 'http://tessera-auth.tessera.svc.cluster.local/oauth/jwks', name);
    }
    const auth = find<{ spec: { ports: Array<{ name: string; port: number; targetPort: string }> } }>(objects, 'Service', 'tessera-auth');
    expect(auth.spec.ports.find((p) => p.name === 'http')).toStrictEqual({ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' });
  });

  it('points the console\'s backend at the auth Service for its token exchange, or at config.consoleAuthUrl', () => {
    const consoleAuthUrl = (rendered: KubeObject[]) => {
      const deployment = find<{ spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } } }>(rendered, 'Deployment', 'tessera-tenant-api');
      return deployment.spec.template.spec.containers[0].env.find((e) => e.name === 'CONSOLE_AUTH_URL')?.value;
    };
    assert.equal(consoleAuthUrl(objects), 'http://tessera-auth.tessera.svc.cluster.local');
    assert.equal(consoleAuthUrl(render({ setJson: { 'config.consoleAuthUrl': 'https://auth.internal.example/' } })), 'https://auth.internal.example');
    for (const name of ['tessera-auth', 'tessera-mcp-gateway']) {
      const deployment = find<{ spec: { template: { spec: { containers: Array<{ env: Array<{ name: string }> }> } } } }>(objects, 'Deployment', name);
      assert.ok(!deployment.spec.template.spec.containers[0].env.some((e) => e.name === 'CONSOLE_AUTH_URL'), name);
    }
  });

  it('lets every gateway, also in another namespace, reach auth on its HTTP port, and nothing else reach it but the ingress and Prometheus', () => {
    const auth = policy('tessera-auth');
    const fromGateways = auth.spec.ingress?.find((rule) => JSON.stringify(rule.from).includes('mcp-gateway'));
    expect((fromGateways?.from as Array<{ namespaceSelector: { matchLabels: Record<string, string> } }>).map((peer) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toStrictEqual(['tessera', 'tenant-acme']);
    assert.equal(auth.spec.ingress?.length, 4, 'ingress controller, gateways, the tenant API (console sign-in), Prometheus');
    const fromTenantApi = auth.spec.ingress?.find((rule) => JSON.stringify(rule.from).includes('"app.kubernetes.io/component":"tenant-api"'));
    expect(fromTenantApi?.ports).toStrictEqual([{ port: 'http', protocol: 'TCP' }]);
    for (const gateway of [policy('tessera-mcp-gateway'), policy('tessera-gateway-acme', 'tenant-acme'), policy('tessera-gateway-shared2'), policy('tessera-tenant-api')]) {
      const toAuth = gateway.spec.egress?.find((rule) => JSON.stringify(rule.to ?? []).includes('"app.kubernetes.io/component":"auth"'));
      expect(toAuth?.ports).toStrictEqual([{ port: 8080, protocol: 'TCP' }]);
    }
  });

  it('allows each app only the egress it needs', () => {
    const dns = [53, 53, 5353, 5353];
    const sorted = (ports: number[]) => ports.sort((a, b) => a - b);
    expect(egressPorts(policy('tessera-mcp-gateway'))).toStrictEqual(sorted([...dns, 5432, 6379, 8080, 9200]));
    assert.deepEqual(egressPorts(policy('tessera-auth')), sorted([...dns, 443, 5432, 6379]), 'auth: IdPs and metadata documents on 443; no search backend');
    assert.deepEqual(egressPorts(policy('tessera-tenant-api')), sorted([...dns, 443, 5432, 6379, 6443, 8080, 9200]), 'tenant-api: the Kubernetes API for the controller, auth for the console');
    expect(egressPorts(policy('tessera-migrate-hook'))).toStrictEqual(sorted([...dns, 5432]));
  });

  it('keeps the IdP egress off private and metadata addresses', () => {
    const idp = policy('tessera-auth').spec.egress?.find((rule) => rule.ports?.some((p) => p.port === 443));
    expect(idp?.to).toStrictEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10', '127.0.0.0/8'] } }]);
  });

  it('opens the metrics port to Prometheus only, and the HTTP port to the ingress controller', () => {
    const gateway = policy('tessera-mcp-gateway');
    expect(gateway.spec.ingress?.map((rule) => [JSON.stringify(rule.from), rule.ports?.map((p) => p.port)])).toStrictEqual([
        ['[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}}}]', ['http']],
        ['[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}}}]', ['metrics']],
      ]);
    expect(policy('tessera-migrate-hook').spec.ingress).toStrictEqual([]);
  });
});
