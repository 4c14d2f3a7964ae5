/**
 * values.schema.json: well-formed, strict at every level (additionalProperties: false), accepting every
 * shipped values file and refusing wrong types, unknown keys and any attempt to switch on the development
 * loopback flag — checked with ajv and by helm template itself.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { CHART, EXAMPLE_VALUES, render, ROOT, runHelm, templateArgs } from './chart-support';

type Schema = { [key: string]: unknown };
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as Schema;
const defaults = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;

/** Every object schema, with its JSON pointer, resolving nothing: $ref targets are walked where they are defined. */
function objectSchemas(node: unknown, pointer = '#'): Array<{ pointer: string; schema: Schema }> {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((item, i) => objectSchemas(item, `${pointer}/${i}`));
  const here = node as Schema;
  const own = here.type === 'object' || here.properties ? [{ pointer, schema: here }] : [];
  return [...own, ...Object.entries(here).flatMap(([key, value]) => objectSchemas(value, `${pointer}/${key}`))];
}

/** Deep-merges values the way helm does for -f files. */
function merged(overrides: Record<string, unknown>): Record<string, unknown> {
  const merge = (base: unknown, over: unknown): unknown => {
    if (over && typeof over === 'object' && !Array.isArray(over) && base && typeof base === 'object' && !Array.isArray(base)) {
      const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
      for (const [key, value] of Object.entries(over as Record<string, unknown>)) result[key] = merge(result[key], value);
      return result;
    }
    return over;
  };
  return merge(defaults, overrides) as Record<string, unknown>;
}

const BAD_VALUES: Array<{ readonly name: string; readonly values: Record<string, unknown> }> = [
  { name: 'a string where an integer belongs', values: { gateway: { replicas: '3' } } },
  { name: 'a string where a boolean belongs', values: { tls: { enabled: 'true' } } },
  { name: 'a port given as a string', values: { networkPolicy: { postgresql: { ports: ['5432'], to: [] } } } },
  { name: 'an object where a list belongs', values: { dedicatedTenants: { acme: { tenants: ['acme'] } } } },
  { name: 'an unknown top-level key', values: { replicaCount: 2 } },
  { name: 'a misspelt nested key', values: { gateway: { resources: { limit: { cpu: '1' } } } } },
  { name: 'an unknown key deep in a NetworkPolicy peer', values: { networkPolicy: { identityProviders: { ports: [443], to: [{ ipBlock: { cidrs: ['0.0.0.0/0'] } }] } } } },
  { name: 'an unknown key in a dedicated tenant', values: { dedicatedTenants: [{ name: 'acme', tenants: ['acme'], replica: 2 }] } },
  { name: 'a tenant slug that is not a slug', values: { dedicatedTenants: [{ name: 'acme', tenants: ['Acme Corp'] }] } },
  { name: 'an admin token shorter than 24 characters', values: { secrets: { adminToken: 'short' } } },
  { name: 'a public URL with a path', values: { publicUrl: 'https://example.com/tessera' } },
  { name: 'a console auth URL that is not http(s)', values: { config: { consoleAuthUrl: 'ftp://auth.internal' } } },
  { name: 'an image digest that is not sha256', values: { image: { digest: 'latest' } } },
  { name: 'an unknown key beside the new knobs', values: { podLabelz: { a: 'b' } } },
  { name: 'a misspelt DNS setting', values: { networkPolicy: { dns: { port: [53], to: [] } } } },
  { name: 'an unknown tenant-namespace routing strategy', values: { ingress: { tenantNamespaces: 'merge' } } },
  { name: 'a trustProxy that is neither a hop count nor addresses', values: { ingress: { trustProxy: 'everyone' } } },
  { name: 'an unknown key in a topology spread constraint', values: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelKeys: ['x'] }] } },
];

/** Every way someone might try to switch the development loopback flag on through values. */
const DEV_FLAG_ATTEMPTS: Array<{ readonly name: string; readonly values: Record<string, unknown> }> = [
  { name: 'extraEnv with the variable', values: { extraEnv: [{ name: 'TESSERA_DEV_ALLOW_LOOPBACK_METADATA', value: 'true' }] } },
  { name: 'extraEnv with any other TESSERA_DEV_ variable', values: { extraEnv: [{ name: 'TESSERA_DEV_METADATA_CA_PEM', value: '-----BEGIN CERTIFICATE-----' }] } },
  { name: 'a config key named after the variable', values: { config: { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: 'true' } } },
  { name: 'a config switch', values: { config: { devAllowLoopbackMetadata: true } } },
  { name: 'an auth app env list', values: { auth: { env: [{ name: 'TESSERA_DEV_ALLOW_LOOPBACK_METADATA', value: 'true' }] } } },
  { name: 'an auth app extraEnv list', values: { auth: { extraEnv: [{ name: 'TESSERA_DEV_ALLOW_LOOPBACK_METADATA', value: 'true' }] } } },
  { name: 'a top-level key', values: { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: true } },
  { name: 'a development section', values: { development: { allowLoopbackMetadata: true } } },
];

describe('values.schema.json', () => {
  let validate: ValidateFunction;
  let dir: string;
  beforeAll(() => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true }); // union types: quantities are strings or numbers
    addFormats(ajv);
    validate = ajv.compile(schema);
    dir = mkdtempSync(join(tmpdir(), 'tessera-values-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** helm template with these values as a -f file; returns helm's exit status and message. */
  const helmWith = (values: Record<string, unknown>, extraArgs: string[] = []) => {
    const file = join(dir, `values-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(values));
    return runHelm([...templateArgs({ extraArgs }), '-f', file]);
  };

  it('is a well-formed draft-07 schema (ajv strict mode compiles it)', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(typeof validate, 'function');
  });

  it('closes every object with additionalProperties: false, except the maps it declares as maps', () => {
    const open = objectSchemas(schema).filter(({ schema: s }) => s.additionalProperties !== false);
    assert.deepEqual(
      open.map(({ pointer, schema: s }) => [pointer, Boolean(s.properties)]),
      [
        ['#/properties/global', false],
        ['#/definitions/stringMap', false],
        ['#/definitions/dedicatedTenant/properties/quota/properties/hard', false],
        ['#/definitions/k8sObject', false],
      ],
      'only `global`, label/annotation maps, ResourceQuota hard limits and Kubernetes\' own types (validated by the API server) take arbitrary keys',
    );
    for (const { pointer, schema: map } of open.filter((o) => !['#/properties/global', '#/definitions/k8sObject'].includes(o.pointer))) {
      assert.ok(typeof map.additionalProperties === 'object', `${pointer}: and even those constrain their values`);
    }
  });

  it('accepts the chart defaults, every example in deploy/ and the everything-on test values', () => {
    assert.ok(validate(defaults), JSON.stringify(validate.errors));
    for (const file of [...EXAMPLE_VALUES, 'test/helm/values-everything.yaml', 'test/helm/values-real-cluster.yaml']) {
      const values = merged(parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>);
      assert.ok(validate(values), `${file}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('documents every key it allows in values.yaml (nothing hidden)', () => {
    const topLevel = Object.keys(schema.properties as Schema).sort();
    expect(Object.keys(defaults).sort()).toStrictEqual(topLevel);
  });

  for (const bad of BAD_VALUES) {
    it(`refuses ${bad.name}`, () => {
      assert.equal(validate(merged(bad.values)), false, 'ajv');
      const result = helmWith(bad.values);
      assert.notEqual(result.status, 0, 'helm template');
      assert.match(result.stderr, /values don't meet the specifications of the schema/);
    });
  }

  describe('the development loopback flag cannot be switched on', () => {
    for (const attempt of DEV_FLAG_ATTEMPTS) {
      it(`through ${attempt.name}`, () => {
        assert.equal(validate(merged(attempt.values)), false, 'ajv refuses it');
        const result = helmWith(attempt.values);
        assert.notEqual(result.status, 0, 'helm template refuses it');
        assert.match(result.stderr, /schema/);
        // Even with the schema skipped, the chart either refuses or renders nothing that sets it.
        const unchecked = helmWith(attempt.values, ['--skip-schema-validation']);
        if (unchecked.status === 0) assert.doesNotMatch(unchecked.stdout, /TESSERA_DEV_/);
        else assert.match(unchecked.stderr, /is a development switch and cannot be set through the chart/);
      });
    }

    it('and no template mentions it except the guard that refuses it', () => {
      const templates = readdirSync(join(CHART, 'templates')).map((file) => [file, readFileSync(join(CHART, 'templates', file), 'utf8')] as const);
      const mentioning = templates.filter(([, text]) => /TESSERA_DEV_|DEV_ALLOW|LOOPBACK_METADATA/.test(text)).map(([file]) => file);
      expect(mentioning).toStrictEqual(['_helpers.tpl']);
      const helpers = templates.find(([file]) => file === '_helpers.tpl')![1];
      expect(helpers.match(/.*TESSERA_DEV_.*/g)).toStrictEqual([`{{- if hasPrefix "TESSERA_DEV_" (upper .name) -}}`]);
      assert.doesNotMatch(JSON.stringify(render({ valuesFiles: ['test/helm/values-everything.yaml'] })), /TESSERA_DEV_/);
    });
  });
});
