/**
 * The chart as platform engineers run it (issue 22): renders that are byte-identical (GitOps), secrets generated
 * once by a hook Job and never by a template, a checksum that follows every referenced secret, required values
 * that say what to set, hook ordering that survives a namespace default-deny, and the knobs real clusters need.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CHART, EXAMPLE_VALUES, find, matchesSelector, ofKind, render, runHelm, templateArgs, type KubeObject } from './chart-support';

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: unknown } }
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    priorityClassName?: string;
    nodeSelector?: Record<string, string>;
    tolerations?: unknown[];
    affinity?: unknown;
    topologySpreadConstraints?: Array<{ matchLabelKeys?: string[]; labelSelector?: { matchLabels: Record<string, string> } }>;
    securityContext?: Record<string, unknown>;
    volumes?: Array<{ name: string }>;
    containers: Array<{ name: string; env?: EnvVar[]; securityContext?: Record<string, unknown>; volumeMounts?: Array<{ name: string; mountPath: string }>; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }>;
  };
}
type Workload = KubeObject & { spec: { template: PodTemplate; activeDeadlineSeconds?: number; replicas?: number } };
type Policy = KubeObject & { spec: { podSelector: { matchLabels: Record<string, string> }; ingress?: unknown[]; egress?: Array<{ to?: unknown[]; ports?: Array<{ port: number; protocol: string }> }> } };

const workloads = (objects: KubeObject[]) => [...ofKind<Workload>(objects, 'Deployment'), ...ofKind<Workload>(objects, 'Job')];
const env = (w: Workload) => new Map((w.spec.template.spec.containers[0].env ?? []).map((e) => [e.name, e]));
const checksum = (objects: KubeObject[], name: string, namespace = 'tessera') =>
  find<Workload>(objects, 'Deployment', name, namespace).spec.template.metadata.annotations?.['checksum/secret'];
const hookWeight = (o: KubeObject) => Number(o.metadata.annotations?.['helm.sh/hook-weight']);
const renderFails = (args: Parameters<typeof templateArgs>[0]) => {
  const result = runHelm(templateArgs(args));
  assert.notEqual(result.status, 0, 'the render fails');
  return result.stderr;
};

describe('GitOps-stable secrets', () => {
  const sets = [[], ...EXAMPLE_VALUES.map((f) => [f]), ['test/helm/values-everything.yaml'], ['test/helm/values-real-cluster.yaml']];
  for (const files of sets) {
    it(`renders byte-identical output twice: ${files[0] ?? 'required values only'}`, () => {
      const first = runHelm(templateArgs({ valuesFiles: files }));
      assert.equal(first.status, 0, first.stderr);
      assert.equal(runHelm(templateArgs({ valuesFiles: files })).stdout, first.stdout);
    });
  }

  it('holds nothing random or time-dependent in any template', () => {
    for (const file of readdirSync(join(CHART, 'templates'))) {
      const text = readFileSync(join(CHART, 'templates', file), 'utf8');
      assert.doesNotMatch(text, /\b(rand\w*|uuidv4|now|genPrivateKey|genCA|genSelfSignedCert|derivePassword|lookup)\b/, file);
    }
  });

  it('has a hook Job create the missing platform secrets once, and the apps read them from its Secret', () => {
    const objects = render();
    const job = find<Workload>(objects, 'Job', 'tessera-secrets');
    assert.equal(env(job).get('KEYS')?.value, 'TESSERA_ADMIN_TOKEN,AUTH_COOKIE_KEYS,TESSERA_ENCRYPTION_KEY,TESSERA_QUERY_HASH_KEY');
    assert.equal(env(job).get('SECRET_NAME')?.value, 'tessera-generated');
    assert.equal(job.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade');
    const role = find<{ rules: Array<{ verbs: string[]; resourceNames?: string[] }> }>(objects, 'Role', 'tessera-secrets');
    expect(role.rules.map((r) => [r.verbs.join(), (r.resourceNames ?? []).join()])).toStrictEqual([['create', ''], ['get,patch', 'tessera-generated,tessera']]);
    const auth = env(find<Workload>(objects, 'Deployment', 'tessera-auth'));
    for (const key of ['TESSERA_ADMIN_TOKEN', 'AUTH_COOKIE_KEYS', 'TESSERA_ENCRYPTION_KEY']) {
      assert.deepEqual(auth.get(key)?.valueFrom?.secretKeyRef, { name: 'tessera-generated', key }, key);
    }
    const gateway = env(find<Workload>(objects, 'Deployment', 'tessera-mcp-gateway'));
    expect(gateway.get('TESSERA_QUERY_HASH_KEY')?.valueFrom?.secretKeyRef).toStrictEqual({ name: 'tessera-generated', key: 'TESSERA_QUERY_HASH_KEY' });
    assert.equal(gateway.get('TESSERA_ADMIN_TOKEN'), undefined, 'the gateway never gets the admin token');
    assert.ok(!ofKind<{ data?: Record<string, string> }>(objects, 'Secret').some((s) => s.data && 'TESSERA_ADMIN_TOKEN' in s.data), 'no template holds a token');
    const withToken = render({ setJson: { 'secrets.adminToken': 'tsa_given-token-0123456789abcdef' } });
    assert.equal(env(find<Workload>(withToken, 'Job', 'tessera-secrets')).get('KEYS')?.value, 'AUTH_COOKIE_KEYS,TESSERA_ENCRYPTION_KEY,TESSERA_QUERY_HASH_KEY', 'only what is not given');
  });

  it('renders no secrets Job, no Secret and only required references from existing Secrets (values-gitops.yaml)', () => {
    const objects = render({ valuesFiles: ['deploy/values-gitops.yaml'] });
    expect(ofKind(objects, 'Secret')).toStrictEqual([]);
    expect(ofKind(objects, 'Job').map((j) => j.metadata.name)).toStrictEqual(['tessera-migrate']);
    const auth = env(find<Workload>(objects, 'Deployment', 'tessera-auth'));
    for (const key of ['TESSERA_ADMIN_TOKEN', 'AUTH_COOKIE_KEYS', 'TESSERA_ENCRYPTION_KEY']) {
      assert.deepEqual(auth.get(key)?.valueFrom?.secretKeyRef, { name: 'tessera-app', key }, `${key} is required, not optional`);
    }
    expect(auth.get('TESSERA_PREVIOUS_ENCRYPTION_KEYS')?.valueFrom?.secretKeyRef).toStrictEqual({ name: 'tessera-app', key: 'TESSERA_PREVIOUS_ENCRYPTION_KEYS', optional: true });
    const gateway = env(find<Workload>(objects, 'Deployment', 'tessera-mcp-gateway'));
    assert.deepEqual(gateway.get('TESSERA_QUERY_HASH_KEY')?.valueFrom?.secretKeyRef, { name: 'tessera-app', key: 'TESSERA_QUERY_HASH_KEY' }, 'required, not optional');
    assert.equal(gateway.get('TESSERA_ADMIN_TOKEN'), undefined);
    expect(env(find<Workload>(objects, 'Job', 'tessera-migrate')).get('DATABASE_URL')?.valueFrom?.secretKeyRef).toStrictEqual({ name: 'tessera-migrator', key: 'uri' });
  });

  it('changes checksum/secret when any referenced Secret value, name or key changes, and only for the apps that use it', () => {
    const base = render();
    const changes: Array<[string, Record<string, unknown>, string[]]> = [
      ['database.url', { 'database.url': 'postgres://other@db:5432/tessera' }, ['tessera-auth', 'tessera-tenant-api', 'tessera-mcp-gateway']],
      ['secrets.adminToken', { 'secrets.adminToken': 'tsa_given-token-0123456789abcdef' }, ['tessera-auth', 'tessera-tenant-api']],
      ['secrets.queryHashKey', { 'secrets.queryHashKey': 'q'.repeat(32) }, ['tessera-mcp-gateway']],
      ['secrets.cookieKeys', { 'secrets.cookieKeys': ['c'.repeat(32)] }, ['tessera-auth']],
      ['secrets.encryptionKey', { 'secrets.encryptionKey': 'e'.repeat(32) }, ['tessera-auth', 'tessera-tenant-api']],
      ['redis.url', { 'redis.url': 'redis://redis:6379' }, ['tessera-auth', 'tessera-tenant-api', 'tessera-mcp-gateway']],
      ['database.existingSecret', { 'database.existingSecret': 'pg', 'database.url': '' }, ['tessera-auth', 'tessera-tenant-api', 'tessera-mcp-gateway']],
    ];
    for (const [what, setJson, affected] of changes) {
      const changed = render({ setJson });
      for (const app of ['tessera-auth', 'tessera-tenant-api', 'tessera-mcp-gateway']) {
        const differs = checksum(changed, app) !== checksum(base, app);
        assert.equal(differs, affected.includes(app), `${what}: ${app}`);
      }
    }
    const existing = render({ valuesFiles: ['deploy/values-gitops.yaml'] });
    assert.notEqual(checksum(render({ valuesFiles: ['deploy/values-gitops.yaml'], setJson: { 'database.existingSecretKey': 'url' } }), 'tessera-auth'), checksum(existing, 'tessera-auth'));
    assert.notEqual(checksum(render({ valuesFiles: ['deploy/values-gitops.yaml'], setJson: { 'secrets.existingSecret': 'tessera-app-v2' } }), 'tessera-auth'), checksum(existing, 'tessera-auth'));
    const tenant = { dedicatedTenants: [{ name: 'acme', tenants: ['acme'], namespace: 'tenant-acme' }], 'secrets.queryHashKey': 'q'.repeat(32) };
    const tenantChecksum = (setJson: Record<string, unknown>) => checksum(render({ setJson: { ...tenant, ...setJson } }), 'tessera-gateway-acme', 'tenant-acme');
    assert.notEqual(tenantChecksum({ 'database.url': 'postgres://x@db/t' }), tenantChecksum({}), 'the tenant namespace Secret too');
    assert.notEqual(tenantChecksum({ 'secrets.queryHashKey': 'r'.repeat(32) }), tenantChecksum({}), 'and its query-hash key');
  });
});

describe('required values say what to set', () => {
  it('refuses a render without host, then without a database', () => {
    assert.match(renderFails({ bare: true }), /host is required: set host to the public DNS name/);
    assert.match(renderFails({ bare: true, setJson: { host: 'tessera.example.com' } }), /database is required: set database\.url to a postgres:\/\/ URL, or database\.existingSecret/);
    assert.equal(runHelm(templateArgs({ bare: true, setJson: { host: 'tessera.example.com', 'database.existingSecret': 'pg' } })).status, 0);
  });

  it('refuses a tenant namespace whose gateway could not read its secrets, naming the Secret to create', () => {
    const message = renderFails({ setJson: { dedicatedTenants: [{ name: 'acme', tenants: ['acme'], namespace: 'tenant-acme' }], 'redis.existingSecret': 'redis' } });
    assert.match(message, /dedicatedTenants\[acme\] runs in namespace tenant-acme.*set dedicatedTenants\[acme\]\.existingSecret to a Secret in tenant-acme with the keys TESSERA_QUERY_HASH_KEY and DATABASE_URL, REDIS_URL/);
  });

  it('refuses an extraEnv entry with both value and valueFrom', () => {
    assert.match(renderFails({ setJson: { extraEnv: [{ name: 'X', value: 'a', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] } }), /extraEnv: X needs exactly one of value and valueFrom/);
  });
});

describe('upgrades that cannot wedge', () => {
  it('creates each hook Job\'s NetworkPolicy as an earlier hook, the secrets before the migration', () => {
    const objects = render();
    const hooks = objects.filter((o) => o.metadata.annotations?.['helm.sh/hook']);
    for (const hook of hooks) assert.equal(hook.metadata.annotations?.['helm.sh/hook'], 'pre-install,pre-upgrade', `${hook.kind} ${hook.metadata.name}`);
    const policies = ofKind<Policy>(hooks, 'NetworkPolicy');
    for (const job of ofKind<Workload>(objects, 'Job')) {
      const own = policies.filter((p) => matchesSelector(job.spec.template.metadata.labels, p.spec.podSelector.matchLabels));
      assert.equal(own.length, 1, `${job.metadata.name}: one hook policy`);
      assert.ok(hookWeight(own[0]) < hookWeight(job), `${job.metadata.name}: its policy comes first`);
      const ports = own[0].spec.egress?.flatMap((rule) => rule.ports?.map((p) => p.port) ?? []);
      assert.ok(ports?.includes(53) && ports.includes(5353), `${job.metadata.name}: DNS`);
    }
    assert.ok(hookWeight(find(objects, 'Job', 'tessera-secrets')) < hookWeight(find(objects, 'Job', 'tessera-migrate')));
    assert.ok(!ofKind(objects, 'NetworkPolicy').some((p) => p.metadata.name === 'tessera-migrate'), 'no ordinary policy of the same pods to collide with on upgrade');
  });

  it('ends the migration Job inside helm\'s default 5-minute timeout', () => {
    const job = find<Workload>(render(), 'Job', 'tessera-migrate');
    assert.ok(job.spec.activeDeadlineSeconds! < 300, `${job.spec.activeDeadlineSeconds}s`);
  });

  it('migrates with database.migrationUrl when given, while the apps keep database.url', () => {
    const objects = render({ valuesFiles: ['test/helm/values-real-cluster.yaml'] });
    const hookSecret = find<{ data: Record<string, string> }>(objects, 'Secret', 'tessera-migrate');
    assert.equal(Buffer.from(hookSecret.data.DATABASE_URL, 'base64').toString(), 'postgres://tessera_owner@db.example.org:5432/tessera');
    const platform = find<{ data: Record<string, string> }>(objects, 'Secret', 'tessera');
    assert.equal(Buffer.from(platform.data.DATABASE_URL, 'base64').toString(), 'postgres://tessera_app@db.example.org:5432/tessera');
  });
});

describe('room for real clusters', () => {
  const objects = render({ valuesFiles: ['test/helm/values-real-cluster.yaml'] });
  const pods = workloads(objects).filter((w) => w.metadata.namespace === 'tessera');

  it('runs on OpenShift: no fixed UID, GID or fsGroup anywhere, security contexts still hardened and overridable', () => {
    assert.doesNotMatch(JSON.stringify(objects), /runAsUser|runAsGroup|fsGroup/);
    for (const w of workloads(objects)) {
      assert.equal(w.spec.template.spec.securityContext?.runAsNonRoot, true);
      assert.deepEqual(w.spec.template.spec.containers[0].securityContext?.seLinuxOptions, { level: 's0:c123,c456' }, w.metadata.name);
    }
    assert.match(JSON.stringify(render()), /"runAsUser":10001/, 'fixed IDs outside OpenShift mode');
  });

  it('adds a private CA to every app and Job that reaches the outside (volume, mount, NODE_EXTRA_CA_CERTS)', () => {
    for (const w of pods.filter((p) => p.metadata.name !== 'tessera-secrets')) {
      const container = w.spec.template.spec.containers[0];
      assert.ok(w.spec.template.spec.volumes?.some((v) => v.name === 'private-ca'), w.metadata.name);
      assert.ok(container.volumeMounts?.some((m) => m.name === 'private-ca' && m.mountPath === '/etc/tessera/private-ca'), w.metadata.name);
      assert.equal(env(w).get('NODE_EXTRA_CA_CERTS')?.value, '/etc/tessera/private-ca/ca.crt', w.metadata.name);
    }
  });

  it('labels every pod for workload identity without touching selectors, and passes valueFrom through', () => {
    for (const w of workloads(objects)) assert.equal(w.spec.template.metadata.labels['azure.workload.identity/use'], 'true', w.metadata.name);
    const gateway = find<Workload & { spec: { selector: { matchLabels: Record<string, string> } } }>(objects, 'Deployment', 'tessera-mcp-gateway');
    assert.equal(gateway.spec.selector.matchLabels['azure.workload.identity/use'], undefined);
    expect(env(gateway).get('OTEL_EXPORTER_OTLP_HEADERS')?.valueFrom).toStrictEqual({ secretKeyRef: { name: 'otlp-credentials', key: 'headers' } });
    expect(env(gateway).get('NODE_NAME')?.valueFrom).toStrictEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    const hijack = render({ setJson: { podLabels: { 'app.kubernetes.io/name': 'other', team: 'x' } } });
    assert.equal(find<Workload>(hijack, 'Deployment', 'tessera-auth').spec.template.metadata.labels['app.kubernetes.io/name'], 'tessera', 'podLabels cannot move pods out of their selectors');
  });

  it('schedules every pod with the given affinity, tolerations, nodeSelector, priority class and spread', () => {
    for (const w of workloads(objects)) {
      const spec = w.spec.template.spec;
      assert.equal(spec.priorityClassName, 'tessera-critical', w.metadata.name);
      assert.deepEqual(spec.nodeSelector, { 'kubernetes.io/os': 'linux' }, w.metadata.name);
      assert.equal(spec.tolerations?.length, 1, w.metadata.name);
      assert.ok(spec.affinity, w.metadata.name);
    }
    const gateway = find<Workload>(objects, 'Deployment', 'tessera-mcp-gateway');
    const [spread] = gateway.spec.template.spec.topologySpreadConstraints!;
    expect(spread.matchLabelKeys).toStrictEqual(['pod-template-hash']);
    assert.equal(spread.labelSelector?.matchLabels['app.kubernetes.io/component'], 'mcp-gateway', 'filled with the pod\'s own labels');
  });

  it('allows DNS on 53 and 5353 without assuming pod labels by default, and takes the resolver, extra egress and ingress from values', () => {
    const defaults = find<Policy>(render(), 'NetworkPolicy', 'tessera-auth');
    const dns = defaults.spec.egress![0];
    assert.equal(dns.to, undefined);
    expect(dns.ports).toStrictEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 5353, protocol: 'UDP' }, { port: 5353, protocol: 'TCP' }]);
    for (const name of ['tessera-auth', 'tessera-tenant-api', 'tessera-mcp-gateway']) {
      const policy = find<Policy>(objects, 'NetworkPolicy', name);
      assert.deepEqual(policy.spec.egress![0].to, [{ ipBlock: { cidr: '169.254.20.10/32' } }], name);
      assert.ok(policy.spec.egress!.some((r) => r.ports?.some((p) => p.port === 4317)), `${name}: extraEgress`);
      assert.ok(JSON.stringify(policy.spec.ingress).includes('istio-system'), `${name}: extraIngress`);
    }
  });

  it('tells the apps which proxies to trust and to serve metrics on the pod address', () => {
    const config = (o: KubeObject[]) => find<{ data: Record<string, string> }>(o, 'ConfigMap', 'tessera-config').data;
    assert.equal(config(render()).TRUST_PROXY, '1');
    assert.equal(config(render()).METRICS_HOST, '0.0.0.0');
    assert.equal(config(objects).TRUST_PROXY, '10.0.0.0/8,192.168.10.4');
    assert.equal(config(render({ setJson: { 'ingress.trustProxy': '' } })).TRUST_PROXY, undefined, 'empty trusts no proxy');
    assert.equal(config(render({ setJson: { 'ingress.trustProxy': 2 } })).TRUST_PROXY, '2');
  });

  it('routes a tenant namespace through one Ingress and an ExternalName Service, or not at all, when asked', () => {
    const ingresses = ofKind<{ spec: { rules: Array<{ http: { paths: Array<{ path: string; backend: { service: { name: string } } }> } }> } }>(objects, 'Ingress');
    expect(ingresses.map((i) => i.metadata.namespace)).toStrictEqual(['tessera']);
    const acme = ingresses[0].spec.rules[0].http.paths.find((p) => p.path === '/mcp/acme');
    assert.equal(acme?.backend.service.name, 'tessera-gateway-acme');
    const external = find<{ spec: { type: string; externalName: string } }>(objects, 'Service', 'tessera-gateway-acme');
    expect([external.spec.type, external.spec.externalName]).toStrictEqual(['ExternalName', 'tessera-gateway-acme.tenant-acme.svc.cluster.local']);
    const none = render({ valuesFiles: ['test/helm/values-real-cluster.yaml'], setJson: { 'ingress.tenantNamespaces': 'none' } });
    assert.ok(!JSON.stringify(ofKind(none, 'Ingress')).includes('/mcp/acme'));
    assert.ok(!ofKind(none, 'Service').some((s) => s.metadata.name === 'tessera-gateway-acme' && s.metadata.namespace === 'tessera'));
  });
});

describe('lifecycle and sizing', () => {
  it('renders integers as integers', () => {
    const result = runHelm(templateArgs({ valuesFiles: ['test/helm/values-real-cluster.yaml'] }));
    assert.doesNotMatch(result.stdout, /\d\.\d+e\+\d+/);
    const config = find<{ data: Record<string, string> }>(render({ valuesFiles: ['test/helm/values-real-cluster.yaml'] }), 'ConfigMap', 'tessera-config').data;
    assert.equal(config.AUTH_REFRESH_TOKEN_TTL_SECONDS, '2592000');
    assert.equal(config.MCP_MAX_REQUEST_BYTES, '10485760');
  });

  it('sizes the gateway\'s memory from its caches unless given', () => {
    const resources = (o: KubeObject[]) => find<Workload>(o, 'Deployment', 'tessera-mcp-gateway').spec.template.spec.containers[0].resources;
    expect(resources(render())).toStrictEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '768Mi' } });
    expect(resources(render({ setJson: { 'config.searchCacheMb': 512 } }))).toStrictEqual({ requests: { cpu: '500m', memory: '896Mi' }, limits: { memory: '1152Mi' } });
    expect(resources(render({ setJson: { 'gateway.resources': { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '3Gi' } } } }))).toStrictEqual({
      requests: { cpu: '1', memory: '2Gi' },
      limits: { memory: '3Gi' },
    });
  });

  it('scales on real load: HPA targets are at least 175m of CPU per pod, with no CPU limit', () => {
    const objects = render();
    for (const hpa of ofKind<{ spec: { scaleTargetRef: { name: string }; metrics: Array<{ resource: { target: { averageUtilization: number } } }> } }>(objects, 'HorizontalPodAutoscaler')) {
      const deployment = find<Workload>(objects, 'Deployment', hpa.spec.scaleTargetRef.name);
      const request = Number.parseInt(deployment.spec.template.spec.containers[0].resources!.requests!.cpu, 10);
      const threshold = (request * hpa.spec.metrics[0].resource.target.averageUtilization) / 100;
      assert.ok(threshold >= 175, `${hpa.metadata.name}: scales at ${threshold}m`);
    }
  });

  it('switches PodDisruptionBudgets and HPAs off per app', () => {
    const objects = render({ setJson: { 'gateway.pdb': { enabled: false, maxUnavailable: 1 }, 'gateway.autoscaling': { enabled: false }, 'gateway.replicas': 3 } });
    assert.ok(!ofKind(objects, 'PodDisruptionBudget').some((o) => o.metadata.name === 'tessera-mcp-gateway'));
    assert.ok(!ofKind(objects, 'HorizontalPodAutoscaler').some((o) => o.metadata.name === 'tessera-mcp-gateway'));
    assert.equal(find<Workload>(objects, 'Deployment', 'tessera-mcp-gateway').spec.replicas, 3);
    find(objects, 'PodDisruptionBudget', 'tessera-auth');
  });
});
