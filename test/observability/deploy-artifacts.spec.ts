/**
 * The Prometheus rules and the Grafana dashboard in deploy/ parse, have the expected shape, and name only
 * metrics the registry really exposes (so a renamed metric cannot silently break an alert or a panel).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, it } from '@jest/globals';
import { parse } from 'yaml';
import { DEFAULT_PROCESS_METRICS, METRICS, TesseraMetrics } from '@tessera/observability';
import { parseExposition } from '../../libs/observability/testing/exposition';

const ROOT = join(__dirname, '..', '..');
const RULES_FILE = join(ROOT, 'deploy/prometheus/tessera-rules.yaml');
const DASHBOARD_FILE = join(ROOT, 'deploy/grafana/tessera-dashboard.json');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { groups: Array<{ name: string; rules: Rule[] }> };
}
interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string; refId: string }>;
  gridPos: { x: number; y: number; w: number; h: number };
}

/** Names every metric (and histogram series) the registry exposes, from a real scrape. */
async function exposedNames(): Promise<Set<string>> {
  const metrics = TesseraMetrics.create({ defaultMetrics: true });
  const names = new Set<string>();
  const exposition = parseExposition(await metrics.scrape());
  for (const [name, type] of exposition.types) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/** Metric names a PromQL expression uses: tessera_*, and the Node.js/process defaults. */
function metricNamesIn(expr: string): string[] {
  return [...expr.matchAll(/\b(?:tessera|nodejs|process)_[a-z0-9_]+\b/g)].map((m) => m[0]);
}

function assertBalanced(expr: string, where: string): void {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quoted = false;
  for (const c of expr) {
    if (c === '"') quoted = !quoted;
    if (quoted) continue;
    if ('([{'.includes(c)) stack.push(c);
    if (c in pairs) assert.equal(stack.pop(), pairs[c], `${where}: unbalanced "${c}" in ${expr}`);
  }
  assert.equal(stack.length, 0, `${where}: unclosed brackets in ${expr}`);
  assert.equal(quoted, false, `${where}: unclosed quote`);
}

describe('deploy/prometheus/tessera-rules.yaml', () => {
  let names: Set<string>;
  let doc: RuleDocument;
  beforeAll(async () => {
    names = await exposedNames();
    doc = parse(readFileSync(RULES_FILE, 'utf8')) as RuleDocument;
  });

  it('is a valid PrometheusRule custom resource', async () => {
    assert.equal(doc.apiVersion, 'monitoring.coreos.com/v1');
    assert.equal(doc.kind, 'PrometheusRule');
    // The model package is ESM-only with "import"-only exports: load its file directly (require(esm), Node ≥ 20.19).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PrometheusRule } = require(join(ROOT, 'node_modules/@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule.js')) as {
      PrometheusRule: new (data: unknown) => { validate(): void };
    };
    new PrometheusRule(doc).validate();
  });

  it('names only metrics the registry exposes', () => {
    for (const group of doc.spec.groups) {
      for (const rule of group.rules) {
        const where = `${group.name}/${rule.alert ?? rule.record}`;
        assertBalanced(rule.expr, where);
        for (const name of metricNamesIn(rule.expr)) assert.ok(names.has(name), `${where} uses ${name}, which the registry does not expose`);
      }
    }
  });

  it('uses only recording rules it defines, and every alert says how bad and what happened', () => {
    const records = new Set(doc.spec.groups.flatMap((g) => g.rules.map((r) => r.record)).filter(Boolean));
    for (const rule of doc.spec.groups.flatMap((g) => g.rules)) {
      for (const used of rule.expr.match(/\btessera:[a-z0-9_:]+/g) ?? []) assert.ok(records.has(used), `${rule.alert ?? rule.record} uses undefined ${used}`);
      if (rule.alert) {
        assert.match(rule.alert, /^Tessera[A-Z][A-Za-z]+$/);
        assert.ok(['critical', 'warning', 'info'].includes(rule.labels?.severity ?? ''), `${rule.alert} severity`);
        assert.ok(rule.annotations?.summary && rule.annotations.description, `${rule.alert} annotations`);
      }
      if (rule.record) assert.match(rule.record, /^tessera:[a-z0-9_]+:[a-z0-9]+$/, 'level:metric:operation naming');
    }
  });

  it('covers the alerts the runbook expects', () => {
    const alerts = doc.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)).filter(Boolean);
    for (const expected of [
      'TesseraMcpHighErrorRatio',
      'TesseraMcpErrorBudgetBurnFast',
      'TesseraMcpLatencyBudgetBurnFast',
      'TesseraMcpLatencyBudgetBurnSlow',
      'TesseraRefreshTokenReuseSpike',
      'TesseraGuardHitSpike',
      'TesseraIngestionFailures',
      'TesseraTargetDown',
      'TesseraIndexChangesNotHeard',
    ]) {
      assert.ok(alerts.includes(expected), expected);
    }
    // Multi-window burn rate: a long and a short window together.
    const fast = doc.spec.groups.flatMap((g) => g.rules).find((r) => r.alert === 'TesseraMcpLatencyBudgetBurnFast')!;
    assert.match(fast.expr, /rate1h[\s\S]*and[\s\S]*rate5m/);
  });
});

describe('deploy/grafana/tessera-dashboard.json', () => {
  let names: Set<string>;
  let dashboard: { title: string; uid: string; schemaVersion: number; panels: Panel[]; templating: { list: Array<{ name: string; query: unknown }> } };
  beforeAll(async () => {
    names = await exposedNames();
    dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as typeof dashboard;
  });

  it('is a Grafana dashboard with a Prometheus data-source variable', () => {
    assert.equal(dashboard.title, 'Tessera');
    assert.ok(dashboard.uid);
    assert.ok(dashboard.schemaVersion >= 36);
    assert.ok(dashboard.templating.list.some((v) => v.name === 'datasource'));
  });

  it('has panels whose queries name only metrics the registry exposes', () => {
    const queries = dashboard.panels.filter((p) => p.type !== 'row');
    assert.ok(queries.length >= 15);
    for (const panel of queries) {
      assert.ok(panel.targets && panel.targets.length > 0, `${panel.title} has queries`);
      for (const target of panel.targets) {
        assertBalanced(target.expr, panel.title);
        const used = metricNamesIn(target.expr);
        assert.ok(used.length > 0 || /\bup\{/.test(target.expr), `${panel.title} queries some metric`);
        for (const name of used) assert.ok(names.has(name), `${panel.title} uses ${name}, which the registry does not expose`);
      }
    }
    for (const variable of dashboard.templating.list) {
      const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query?: string } | undefined)?.query ?? '';
      for (const name of metricNamesIn(query)) assert.ok(names.has(name), `variable ${variable.name} uses ${name}`);
    }
  });

  it('shows every Tessera metric somewhere, and the event-loop lag', () => {
    const all = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr).join('\n');
    for (const definition of Object.values(METRICS)) {
      assert.ok(all.includes(definition.name), `no panel shows ${definition.name}`);
    }
    assert.ok(DEFAULT_PROCESS_METRICS.some((name) => name.startsWith('nodejs_eventloop_lag') && all.includes(name)));
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const taken = new Set<string>();
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      assert.ok(x >= 0 && w > 0 && x + w <= 24, `${panel.title} fits the grid`);
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const cell = `${row}:${col}`;
          assert.ok(!taken.has(cell), `${panel.title} overlaps another panel at ${cell}`);
          taken.add(cell);
        }
      }
    }
  });
});
