/**
 * Policy over everything the chart renders, for every values set: hardened pods, probes and limits, a
 * PodDisruptionBudget and NetworkPolicies for every Deployment, no secrets outside Secrets, no development
 * switches, least-privilege service accounts.
 */
import assert from 'node:assert/strict';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_VALUES, find, matchesSelector, ofKind, render, ROOT, type KubeObject } from './chart-support';

interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: unknown; configMapKeyRef?: unknown; fieldRef?: unknown } }>;
  envFrom?: Array<{ configMapRef?: unknown; secretRef?: unknown }>;
  securityContext?: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  startupProbe?: { httpGet?: { path: string; port: string } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; emptyDir?: unknown; hostPath?: unknown }>;
}
interface Workload {
  spec: { selector?: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
}
interface Selecting {
  spec: { podSelector?: { matchLabels?: Record<string, string> }; selector?: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
}

const VALUE_SETS = [
  { name: 'default values', files: [] as string[] },
  ...EXAMPLE_VALUES.map((file) => ({ name: file, files: [file] })),
  { name: 'everything on', files: ['test/helm/values-everything.yaml'] },
  { name: 'a real cluster (OpenShift, private CA, workload identity, scheduling)', files: ['test/helm/values-real-cluster.yaml'] },
];

const podsOf = (objects: KubeObject[]) =>
  [...ofKind<Workload>(objects, 'Deployment'), ...ofKind<Workload>(objects, 'Job')].map((o) => ({
    object: o,
    name: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
    namespace: o.metadata.namespace,
    labels: o.spec.template.metadata.labels,
    pod: o.spec.template.spec,
  }));

for (const set of VALUE_SETS) {
  describe(`policy: ${set.name}`, () => {
    let objects: KubeObject[];
    beforeAll(() => {
      objects = render({ valuesFiles: set.files });
    });

    it('runs every pod hardened: non-root, read-only root, no privileges, RuntimeDefault seccomp, /tmp an emptyDir', () => {
      for (const { name, pod } of podsOf(objects)) {
        assert.equal(pod.securityContext?.runAsNonRoot, true, name);
        assert.equal(pod.securityContext?.seccompProfile?.type, 'RuntimeDefault', name);
        assert.ok(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, name);
        assert.ok(!(pod.volumes ?? []).some((v) => v.hostPath), name);
        assert.ok((pod.volumes ?? []).some((v) => v.name === 'tmp' && v.emptyDir), `${name}: /tmp is an emptyDir`);
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          const where = `${name} ${container.name}`;
          const sc = container.securityContext ?? {};
          assert.equal(sc.runAsNonRoot, true, where);
          assert.equal(sc.allowPrivilegeEscalation, false, where);
          assert.equal(sc.readOnlyRootFilesystem, true, where);
          assert.notEqual(sc.privileged, true, where);
          assert.deepEqual(sc.capabilities?.drop, ['ALL'], where);
          assert.equal(sc.capabilities?.add, undefined, where);
          assert.equal(sc.seccompProfile?.type, 'RuntimeDefault', where);
          assert.ok(container.resources?.requests?.cpu && container.resources.requests.memory, `${where}: requests`);
          assert.ok(container.resources?.limits?.memory, `${where}: a memory limit`);
          assert.equal(container.resources?.limits?.cpu, undefined, `${where}: no CPU limit (it throttles the event loop)`);
          assert.ok(container.volumeMounts?.some((m) => m.name === 'tmp' && m.mountPath === '/tmp'), `${where}: writable /tmp`);
          assert.doesNotMatch(container.image, /:latest$/, where);
        }
      }
    });

    it('probes every app: startup and liveness on /healthz, readiness on /readyz', () => {
      for (const { name, pod } of podsOf(objects).filter((p) => p.object.kind === 'Deployment')) {
        for (const container of pod.containers) {
          assert.deepEqual(container.startupProbe?.httpGet, { path: '/healthz', port: 'http' }, name);
          assert.deepEqual(container.livenessProbe?.httpGet, { path: '/healthz', port: 'http' }, name);
          assert.deepEqual(container.readinessProbe?.httpGet, { path: '/readyz', port: 'http' }, name);
        }
      }
    });

    it('gives every Deployment a PodDisruptionBudget, a NetworkPolicy of its own and the default deny', () => {
      const budgets = ofKind<Selecting>(objects, 'PodDisruptionBudget');
      const policies = ofKind<Selecting>(objects, 'NetworkPolicy');
      for (const { name, namespace, labels } of podsOf(objects).filter((p) => p.object.kind === 'Deployment')) {
        const inNamespace = <T extends KubeObject>(list: T[]) => list.filter((o) => o.metadata.namespace === namespace);
        assert.equal(inNamespace(budgets).filter((b) => matchesSelector(labels, b.spec.selector?.matchLabels)).length, 1, `${name}: one PDB`);
        const selecting = inNamespace(policies).filter((p) => matchesSelector(labels, p.spec.podSelector?.matchLabels));
        const own = selecting.filter((p) => !p.metadata.name.endsWith('-default-deny'));
        const deny = selecting.filter((p) => p.metadata.name.endsWith('-default-deny'));
        assert.equal(own.length, 1, `${name}: one NetworkPolicy of its own`);
        assert.deepEqual(own[0].spec.policyTypes, ['Ingress', 'Egress'], name);
        assert.equal(deny.length, 1, `${name}: covered by the default deny`);
        assert.deepEqual([deny[0].spec.ingress, deny[0].spec.egress], [undefined, undefined], 'the default deny allows nothing');
      }
      for (const { name, namespace, labels } of podsOf(objects).filter((p) => p.object.kind === 'Job')) {
        assert.ok(
          policies.some((p) => p.metadata.namespace === namespace && !p.metadata.name.endsWith('-default-deny') && matchesSelector(labels, p.spec.podSelector?.matchLabels)),
          `${name}: the migration Job can reach PostgreSQL on upgrade, when the default deny exists`,
        );
      }
    });

    it('keeps selectors apart: no Deployment, Service or PDB of one workload selects another\'s pods', () => {
      const deployments = podsOf(objects).filter((p) => p.object.kind === 'Deployment');
      const selectingServices = ofKind<Selecting & { spec: { type?: string } }>(objects, 'Service').filter((s) => s.spec.type !== 'ExternalName');
      for (const selector of [...selectingServices, ...ofKind<Selecting>(objects, 'PodDisruptionBudget'), ...ofKind<Workload>(objects, 'Deployment')]) {
        const labels = (selector as Selecting).spec.selector?.matchLabels ?? (selector as unknown as { spec: { selector: Record<string, string> } }).spec.selector;
        const matched = deployments.filter((d) => d.namespace === selector.metadata.namespace && matchesSelector(d.labels, (labels as { matchLabels?: Record<string, string> }).matchLabels ?? (labels as Record<string, string>)));
        assert.equal(matched.length, 1, `${selector.kind} ${selector.metadata.name} selects ${matched.map((m) => m.name).join(', ')}`);
      }
    });

    it('puts no development switch anywhere', () => {
      for (const configMap of ofKind<{ data?: Record<string, string> }>(objects, 'ConfigMap')) {
        assert.deepEqual(Object.keys(configMap.data ?? {}).filter((k) => k.startsWith('TESSERA_DEV_')), [], configMap.metadata.name);
      }
      for (const { name, pod } of podsOf(objects)) {
        for (const container of pod.containers) {
          assert.deepEqual((container.env ?? []).map((e) => e.name).filter((n) => n.startsWith('TESSERA_DEV_')), [], name);
          assert.ok(!(container.envFrom ?? []).some((source) => source.secretRef), `${name}: no envFrom a Secret (stray keys would become variables)`);
        }
      }
      assert.doesNotMatch(JSON.stringify(objects), /TESSERA_DEV_/);
    });

    it('mounts a service account token only into the Workspace controller\'s pods', () => {
      for (const { name, pod, labels } of podsOf(objects)) {
        const controller = labels['app.kubernetes.io/component'] === 'tenant-api' && pod.serviceAccountName?.endsWith('-workspace-controller');
        const secretsHook = labels['app.kubernetes.io/component'] === 'secrets' && pod.serviceAccountName === 'tessera-secrets';
        assert.equal(pod.automountServiceAccountToken, controller || secretsHook ? true : false, name);
      }
      for (const account of ofKind<{ automountServiceAccountToken?: boolean }>(objects, 'ServiceAccount')) {
        assert.equal(account.automountServiceAccountToken, false, account.metadata.name);
      }
    });
  });
}

describe('policy: secrets stay in Secrets', () => {
  const values = parse(readFileSync(join(ROOT, 'test/helm/values-everything.yaml'), 'utf8')) as {
    secrets: { adminToken: string; cookieKeys: string[]; encryptionKey: string; queryHashKey: string };
    database: { url: string };
    opensearch: { password: string };
    redis: { url: string };
  };
  const secretValues = [
    values.secrets.adminToken,
    ...values.secrets.cookieKeys,
    values.secrets.encryptionKey,
    values.secrets.queryHashKey,
    values.database.url,
    'db-password-0123',
    values.opensearch.password,
    values.redis.url,
    'redis-password-0123',
  ];
  let objects: KubeObject[];
  beforeAll(() => {
    objects = render({ valuesFiles: ['test/helm/values-everything.yaml'] });
  });

  it('never puts a secret value into anything but a Secret', () => {
    for (const object of objects.filter((o) => o.kind !== 'Secret')) {
      const text = JSON.stringify(object);
      for (const secret of secretValues) assert.ok(!text.includes(secret), `${object.kind} ${object.metadata.name} contains a secret value`);
    }
  });

  it('has no secret-looking keys in ConfigMaps', () => {
    for (const configMap of ofKind<{ data?: Record<string, string> }>(objects, 'ConfigMap')) {
      const keys = Object.keys(configMap.data ?? {}).filter((key) => /(TOKEN|PASSWORD|SECRET|_KEYS?|USERNAME)$|^(DATABASE_URL|REDIS_URL)$/.test(key));
      assert.deepEqual(keys, [], configMap.metadata.name);
    }
  });

  const decode = (secret: { data: Record<string, string> }) => Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

  it('stores each given secret in the chart\'s Secret, and a tenant namespace gets only what its gateway needs', () => {
    const platform = find<{ data: Record<string, string> }>(objects, 'Secret', 'tessera');
    expect(decode(platform)).toStrictEqual({
      AUTH_COOKIE_KEYS: values.secrets.cookieKeys.join(','),
      DATABASE_URL: values.database.url,
      OPENSEARCH_PASSWORD: values.opensearch.password,
      OPENSEARCH_USERNAME: 'tessera',
      REDIS_URL: values.redis.url,
      TESSERA_ADMIN_TOKEN: values.secrets.adminToken,
      TESSERA_ENCRYPTION_KEY: values.secrets.encryptionKey,
      TESSERA_QUERY_HASH_KEY: values.secrets.queryHashKey,
    });
    const tenant = find<{ data: Record<string, string>; metadata: { annotations?: Record<string, string> } }>(objects, 'Secret', 'tessera-gateway-acme', 'tenant-acme');
    expect(Object.keys(decode(tenant)).sort()).toStrictEqual(['DATABASE_URL', 'OPENSEARCH_PASSWORD', 'OPENSEARCH_USERNAME', 'REDIS_URL', 'TESSERA_QUERY_HASH_KEY']);
    assert.equal(tenant.metadata.annotations?.['helm.sh/resource-policy'], undefined, 'removed with the tenant unless keepSecret');
    assert.deepEqual(ofKind(objects, 'Secret').map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(), ['tenant-acme/tessera-gateway-acme', 'tessera/tessera', 'tessera/tessera-migrate'], 'and the migration hook\'s own (the database URL only)');
  });

  it('hands each app exactly the secrets it needs, by secretKeyRef', () => {
    const common = ['DATABASE_URL', 'OPENSEARCH_USERNAME', 'OPENSEARCH_PASSWORD', 'REDIS_URL'];
    const gateway = [...common, 'TESSERA_QUERY_HASH_KEY'];
    const expected: Record<string, string[]> = {
      'tessera/tessera-auth': ['TESSERA_ADMIN_TOKEN', 'DATABASE_URL', 'REDIS_URL', 'AUTH_COOKIE_KEYS', 'TESSERA_ENCRYPTION_KEY'],
      'tessera/tessera-tenant-api': [...common, 'TESSERA_ADMIN_TOKEN', 'TESSERA_ENCRYPTION_KEY'],
      'tessera/tessera-mcp-gateway': gateway,
      'tessera/tessera-gateway-shared2': gateway,
      'tenant-acme/tessera-gateway-acme': gateway,
    };
    for (const { object, pod } of podsOf(objects).filter((p) => p.object.kind === 'Deployment')) {
      const key = `${object.metadata.namespace}/${object.metadata.name}`;
      const fromSecrets = (pod.containers[0].env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);
      assert.deepEqual(fromSecrets.sort(), [...expected[key]].sort(), key);
    }
  });

  it('puts the admin token in no gateway and in nothing outside the release namespace, for every values set', () => {
    const sets = [['test/helm/values-everything.yaml'], ['test/helm/values-real-cluster.yaml'], ...EXAMPLE_VALUES.map((f) => [f])];
    for (const files of sets) {
      const rendered = render({ valuesFiles: files });
      const tenantNamespaced = rendered.filter((o) => o.metadata.namespace && o.metadata.namespace !== 'tessera');
      for (const object of tenantNamespaced) assert.doesNotMatch(JSON.stringify(object), /TESSERA_ADMIN_TOKEN/, `${files[0]}: ${object.kind} ${object.metadata.namespace}/${object.metadata.name}`);
      for (const { name, pod, labels } of podsOf(rendered).filter((p) => p.labels['tessera.dev/role'] === 'mcp-gateway')) {
        assert.doesNotMatch(JSON.stringify(pod), /TESSERA_ADMIN_TOKEN/, `${files[0]}: ${name}`);
        assert.ok(pod.containers[0].env?.some((e) => e.name === 'TESSERA_QUERY_HASH_KEY'), `${files[0]}: ${name} (${labels['app.kubernetes.io/component']}) gets the query-hash key`);
      }
    }
    assert.ok(render({ valuesFiles: ['test/helm/values-everything.yaml'] }).some((o) => o.metadata.namespace === 'tenant-acme' && o.kind === 'Secret'), 'a tenant namespace Secret was checked');
  });

  it('references existing Secrets without rendering their values', () => {
    const production = render({ valuesFiles: ['deploy/values-production.yaml'] });
    const own = ofKind<{ data: Record<string, string> }>(production, 'Secret').filter((s) => s.metadata.name === 'tessera');
    assert.deepEqual(own, [], 'every secret comes from an existing Secret');
    const api = podsOf(production).find((p) => p.name === 'Deployment/tessera/tessera-tenant-api')!;
    const ref = (key: string) => api.pod.containers[0].env?.find((e) => e.name === key)?.valueFrom?.secretKeyRef;
    expect(ref('TESSERA_ADMIN_TOKEN')).toStrictEqual({ name: 'tessera-app', key: 'TESSERA_ADMIN_TOKEN' });
    expect(ref('DATABASE_URL')).toStrictEqual({ name: 'tessera-postgresql', key: 'uri' });
    expect(ref('REDIS_URL')).toStrictEqual({ name: 'tessera-redis', key: 'url' });
  });
});

describe('policy: least privilege for the Workspace controller', () => {
  it('has no service account, role or binding for it unless it is enabled', () => {
    const objects = render();
    expect(objects.filter((o) => /Role/.test(o.kind) && !o.metadata.name.endsWith('-secrets')).map((o) => o.metadata.name)).toStrictEqual([]);
    assert.ok(!objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name.endsWith('workspace-controller')));
  });

  it('grants only what the controller does: watch Workspaces, patch them and their status, hold one Lease', () => {
    const objects = render({ setJson: { 'workspaceController.enabled': true } });
    const roles = ofKind<{ rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }> }>(objects, 'Role').filter((r) => r.metadata.name !== 'tessera-secrets');
    const rules = roles.flatMap((r) => r.rules.map((rule) => `${rule.apiGroups.join()}|${rule.resources.join()}|${rule.verbs.join()}|${(rule.resourceNames ?? []).join()}`));
    expect(rules.sort()).toStrictEqual([
      'coordination.k8s.io|leases|create|',
      'coordination.k8s.io|leases|get,update|tessera-workspace-controller',
      'tessera.dev|workspaces/status|get,patch|',
      'tessera.dev|workspaces|get,list,watch,patch|',
    ]);
    assert.equal(ofKind(objects, 'ClusterRole').length, 0, 'namespaced unless clusterWide');
    const api = podsOf(objects).find((p) => p.labels['app.kubernetes.io/component'] === 'tenant-api')!;
    const env = Object.fromEntries((api.pod.containers[0].env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    assert.equal(env.WORKSPACE_CONTROLLER_ENABLED, 'true');
    assert.equal(env.WORKSPACE_CONTROLLER_NAMESPACE, 'tessera');
  });
});
