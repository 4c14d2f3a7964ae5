/** The benchmark's one table, its targets (from the issue), and the JSON written next to it. */
import type { IngestResult } from './ingest';
import type { LoadResult } from './load';

export type ScenarioName = 'tools/list' | 'initialize' | 'search' | 'fetch' | 'tools/list@2026-07-28' | 'search@2026-07-28' | 'fetch@2026-07-28';
export type BaselineName = 'raw-node' | 'sdk-stateless' | 'plain-insert';

export interface Target {
  readonly baseline: BaselineName;
  /** Minimum of measured ÷ baseline. */
  readonly minRatio?: number;
  readonly maxP99Ms?: number;
  readonly text: string;
}

/** The targets, printed next to the figures. */
export const TARGETS: Record<ScenarioName | 'bulk', Target> = {
  'tools/list': { baseline: 'raw-node', minRatio: 0.5, text: '≥ 50% of raw Node' },
  initialize: { baseline: 'raw-node', text: '(none; vs raw Node)' },
  search: { baseline: 'sdk-stateless', minRatio: 2, maxP99Ms: 50, text: '≥ 2× SDK pattern, p99 ≤ 50 ms' },
  fetch: { baseline: 'sdk-stateless', minRatio: 5, text: '≥ 5× SDK pattern' },
  'tools/list@2026-07-28': { baseline: 'raw-node', minRatio: 0.5, text: '≥ 50% of raw Node' },
  'search@2026-07-28': { baseline: 'sdk-stateless', minRatio: 2, maxP99Ms: 50, text: '≥ 2× SDK pattern, p99 ≤ 50 ms (= 2025 row)' },
  'fetch@2026-07-28': { baseline: 'sdk-stateless', minRatio: 5, text: '≥ 5× SDK pattern (= 2025 row)' },
  bulk: { baseline: 'plain-insert', minRatio: 0.5, text: '≥ 50% of plain INSERT' },
};

/** A load result with the server process's CPU time per request (robust to a busy machine, unlike req/s). */
export type MeasuredLoad = LoadResult & { readonly serverCpuUsPerRequest?: number };

export interface Row {
  readonly scenario: string;
  readonly kind: 'baseline' | 'scenario';
  readonly load?: MeasuredLoad;
  readonly ingest?: IngestResult;
  readonly baseline?: BaselineName;
  readonly ratio?: number;
  /**
   * Baseline's server CPU per request ÷ this row's: what the ratio would be if both servers were
   * CPU-bound on a core of their own. Steadier than req/s on a busy machine; not a target.
   */
  readonly cpuRatio?: number;
  readonly target?: string;
  /** true/false when the row has a target; undefined when there is nothing to check. */
  readonly met?: boolean;
  readonly note?: string;
}

export interface Measurements {
  readonly baselines: Partial<Record<BaselineName, { load?: MeasuredLoad; ingest?: IngestResult; note?: string }>>;
  readonly scenarios: Partial<Record<ScenarioName, MeasuredLoad>>;
  readonly bulk?: IngestResult;
}

const BASELINE_LABEL: Record<BaselineName, string> = {
  'raw-node': 'baseline: raw Node http (tools/list)',
  'sdk-stateless': 'baseline: SDK stateless (search)',
  'plain-insert': 'baseline: plain INSERT + GIN',
};

export function buildRows(m: Measurements): Row[] {
  const rows: Row[] = [];
  for (const name of ['raw-node', 'sdk-stateless', 'plain-insert'] as const) {
    const b = m.baselines[name];
    if (b) rows.push({ scenario: BASELINE_LABEL[name], kind: 'baseline', load: b.load, ingest: b.ingest, note: b.note });
  }
  const scenarios = ['tools/list', 'initialize', 'search', 'fetch', 'tools/list@2026-07-28', 'search@2026-07-28', 'fetch@2026-07-28'] as const;
  for (const name of scenarios) {
    const load = m.scenarios[name];
    if (!load) continue;
    const target = TARGETS[name];
    const base = m.baselines[target.baseline]?.load;
    const ratio = base && base.requestsPerSecond > 0 ? load.requestsPerSecond / base.requestsPerSecond : undefined;
    const cpuRatio = base?.serverCpuUsPerRequest && load.serverCpuUsPerRequest ? base.serverCpuUsPerRequest / load.serverCpuUsPerRequest : undefined;
    rows.push({
      scenario: /^(search|fetch)/.test(name) ? `tools/call ${name}` : name,
      kind: 'scenario',
      load,
      baseline: target.baseline,
      ratio,
      cpuRatio,
      target: target.text,
      met: check(target, ratio, load.latencyMs.p99, load),
    });
  }
  if (m.bulk) {
    const target = TARGETS.bulk;
    const base = m.baselines['plain-insert']?.ingest;
    const ratio = base ? m.bulk.docsPerSecond / base.docsPerSecond : undefined;
    rows.push({ scenario: 'documents:bulk', kind: 'scenario', ingest: m.bulk, baseline: 'plain-insert', ratio, target: target.text, met: check(target, ratio) });
  }
  return rows;
}

function check(target: Target, ratio: number | undefined, p99?: number, load?: LoadResult): boolean | undefined {
  if (target.minRatio === undefined && target.maxP99Ms === undefined) return undefined;
  if (load && (load.errors > 0 || load.non2xx > 0 || load.timeouts > 0)) return false;
  if (target.minRatio !== undefined && (ratio === undefined || ratio < target.minRatio)) return false;
  if (target.maxP99Ms !== undefined && (p99 === undefined || p99 > target.maxP99Ms)) return false;
  return true;
}

const num = (value: number | undefined, digits = 0) =>
  value === undefined || !Number.isFinite(value) ? '' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatTable(rows: readonly Row[]): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'docs/s', 'errors', 'server CPU µs/req', 'baseline', 'ratio', 'CPU ratio', 'target', 'met'];
  const body = rows.map((r) => [
    r.scenario,
    num(r.load?.requestsPerSecond),
    r.load ? num(r.load.latencyMs.p50, r.load.latencyMs.p50 < 10 ? 1 : 0) : '',
    r.load ? num(r.load.latencyMs.p99, r.load.latencyMs.p99 < 10 ? 1 : 0) : '',
    num(r.ingest?.docsPerSecond),
    r.load ? String(r.load.errors + r.load.non2xx + r.load.timeouts) : '',
    num(r.load?.serverCpuUsPerRequest),
    r.baseline ?? '',
    r.ratio === undefined ? '' : `${num(r.ratio, 2)}×`,
    r.cpuRatio === undefined ? '' : `${num(r.cpuRatio, 2)}×`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = new Set([1, 2, 3, 4, 5, 6, 8, 9]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
