import type { Metric, Registry, RegistryContentType } from 'prom-client';

/**
 * Counters and histograms cheap enough for every request: a label set's child is resolved once, and
 * recording is a few numeric writes. prom-client's own metrics build, validate and hash a labels
 * object on every inc/observe (≈0.3–0.5 µs each, several per MCP request).
 *
 * They register in the same prom-client Registry and answer it the way prom-client's Counter and
 * Histogram do (hot-metrics.spec.ts compares the expositions), so /metrics does not change.
 */
export interface HotMetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly registry: Registry<RegistryContentType>;
}

type Labels = Record<string, string>;

/** prom-client's per-sample shape, as its Registry reads it. */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  sharedLabels?: Labels;
  exemplar?: null;
}

abstract class HotMetric<C> {
  readonly aggregator = 'sum';
  abstract readonly type: 'counter' | 'histogram';
  /** Children by their first label value, then the next…: no key string is built per call. */
  private children = new Map<string, unknown>();
  private all: C[] = [];

  /** Plain fields, as on prom-client's metrics (its Registry renames counters for OpenMetrics). */
  name: string;
  help: string;

  constructor(protected readonly options: HotMetricOptions) {
    this.name = options.name;
    this.help = options.help;
    options.registry.registerMetric(this as unknown as Metric);
  }

  /** The child for these label values, in labelNames order (resolved once per distinct values). */
  labels(...values: string[]): C {
    if (values.length !== this.options.labelNames.length) throw new Error(`${this.name} takes ${this.options.labelNames.length} label values`);
    const last = values.length - 1;
    let level = this.children;
    for (let i = 0; i < last; i++) {
      let next = level.get(values[i]!) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(values[i]!, (next = new Map()));
      level = next;
    }
    return (level.get(values[last]!) as C | undefined) ?? this.add(level, values);
  }

  reset(): void {
    this.children = new Map();
    this.all = [];
  }

  /** Every child, in the order they were first used (prom-client's order too). */
  protected series(): readonly C[] {
    return this.all;
  }

  private add(level: Map<string, unknown>, values: string[]): C {
    const names = this.options.labelNames;
    const labels: Labels = {};
    names.forEach((name, i) => (labels[name] = values[i]!));
    const child = this.create(labels);
    level.set(values[values.length - 1]!, child);
    this.all.push(child);
    return child;
  }

  protected abstract create(labels: Labels): C;
  abstract getForPromString(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: string }>;
}

export class HotCounterChild {
  value = 0;

  constructor(readonly labels: Labels) {}

  inc(by = 1): void {
    if (!(by >= 0) || by === Infinity) throw new TypeError(`a counter only goes up by a finite amount, not ${by}`);
    this.value += by;
  }
}

export class HotCounter extends HotMetric<HotCounterChild> {
  readonly type = 'counter';

  protected create(labels: Labels): HotCounterChild {
    return new HotCounterChild(labels);
  }

  async get() {
    return this.getForPromString();
  }

  async getForPromString() {
    const values: Sample[] = this.series().map((c) => ({ value: c.value, labels: c.labels }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class HotHistogramChild {
  /** Per bucket (not cumulative); observations above the last bound are only in `count`. */
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.buckets[i]!++;
    this.sum += value;
    this.count++;
  }
}

export class HotHistogram extends HotMetric<HotHistogramChild> {
  readonly type = 'histogram';
  private readonly bounds: readonly number[];

  /** `buckets`: upper bounds in ascending order, as prom-client takes them. */
  constructor(options: HotMetricOptions & { readonly buckets: readonly number[] }) {
    super(options);
    this.bounds = [...options.buckets];
  }

  protected create(labels: Labels): HotHistogramChild {
    return new HotHistogramChild(labels, this.bounds);
  }

  /** prom-client's JSON shape: each sample's labels include the series' labels. */
  async get() {
    const metric = await this.getForPromString();
    metric.values = metric.values.map(({ sharedLabels, labels, ...sample }) => ({ ...sample, labels: { ...labels, ...sharedLabels } }));
    return metric;
  }

  async getForPromString() {
    const bucketName = `${this.name}_bucket`;
    const values: Sample[] = [];
    for (const child of this.series()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += child.buckets[i]!;
        values.push({ labels: { le }, sharedLabels: child.labels, value: cumulative, metricName: bucketName, exemplar: null });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: child.labels, value: child.count, metricName: bucketName, exemplar: null },
        { labels: {}, sharedLabels: child.labels, value: child.sum, metricName: `${this.name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: child.labels, value: child.count, metricName: `${this.name}_count`, exemplar: undefined },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
