import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { Counter, Histogram, Registry, type RegistryContentType } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics';

const LABELS = ['method', 'workspace'];
const BUCKETS = [0.001, 0.01, 0.1, 1];
const SERIES: Array<[string, string]> = [['tools/list', 'all'], ['tools/call', 'acme/handbook'], ['tools/list', 'other']];
const VALUES = [0, 0.0005, 0.001, 0.004, 0.01, 0.05, 0.3, 1, 2.5, 40];

/** The same counts and observations recorded by prom-client's metrics and by the hot ones. */
async function both(
  record: (counter: { inc(n?: number): void }, histogram: { observe(v: number): void }, i: number) => void,
  contentType: RegistryContentType = Registry.PROMETHEUS_CONTENT_TYPE,
) {
  const reference = new Registry<RegistryContentType>();
  const hot = new Registry<RegistryContentType>();
  reference.setContentType(contentType);
  hot.setContentType(contentType);
  const counter = new Counter({ name: 'x_requests_total', help: 'Requests.', labelNames: LABELS, registers: [reference] });
  const histogram = new Histogram({ name: 'x_duration_seconds', help: 'Time "taken".', labelNames: LABELS, buckets: BUCKETS, registers: [reference] });
  const hotCounter = new HotCounter({ name: 'x_requests_total', help: 'Requests.', labelNames: LABELS, registry: hot });
  const hotHistogram = new HotHistogram({ name: 'x_duration_seconds', help: 'Time "taken".', labelNames: LABELS, buckets: BUCKETS, registry: hot });
  SERIES.forEach(([method, workspace], i) => {
    record(counter.labels(method, workspace), histogram.labels(method, workspace), i);
    record(hotCounter.labels(method, workspace), hotHistogram.labels(method, workspace), i);
  });
  return { reference, hot };
}

describe('HotCounter and HotHistogram', () => {
  it('expose exactly what prom-client exposes for the same observations', async () => {
    const { reference, hot } = await both((counter, histogram, i) => {
      counter.inc();
      counter.inc(i + 2);
      for (const v of VALUES.slice(i)) histogram.observe(v);
    });
    assert.equal(await hot.metrics(), await reference.metrics());
    expect(await hot.getMetricsAsJSON()).toStrictEqual(await reference.getMetricsAsJSON());
  });

  it('expose exactly what prom-client exposes in the OpenMetrics format too', async () => {
    const { reference, hot } = await both((counter, histogram) => {
      counter.inc(3);
      histogram.observe(0.02);
    }, Registry.OPENMETRICS_CONTENT_TYPE);
    assert.equal(await hot.metrics(), await reference.metrics());
  });

  it('start over on reset, as prom-client does', async () => {
    const { reference, hot } = await both((counter, histogram) => {
      counter.inc();
      histogram.observe(0.2);
    });
    reference.resetMetrics();
    hot.resetMetrics();
    assert.equal(await hot.metrics(), await reference.metrics());
  });

  it('refuse a decrease, a non-finite observation and a wrong number of label values', () => {
    const registry = new Registry();
    const counter = new HotCounter({ name: 'y_total', help: 'y', labelNames: ['a'], registry });
    const histogram = new HotHistogram({ name: 'y_seconds', help: 'y', labelNames: ['a'], buckets: BUCKETS, registry });
    assert.throws(() => counter.labels('a').inc(-1), TypeError);
    assert.throws(() => histogram.labels('a').observe(Number.NaN), TypeError);
    assert.throws(() => counter.labels('a', 'b'), /takes 1 label values/);
    assert.throws(() => new HotCounter({ name: 'y_total', help: 'y', labelNames: [], registry }), /already been registered/);
  });
});
