import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { startMetricsServer } from './metrics-server';
import { TesseraMetrics } from './tessera-metrics';

describe('startMetricsServer', () => {
  it('serves the registry on GET /metrics and nothing else', async () => {
    const metrics = TesseraMetrics.create({ defaultMetrics: false });
    metrics.guardHit('email');
    const server = await startMetricsServer(metrics.registry, { host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${server.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(await response.text(), /tessera_guard_hits_total\{rule="email",action="block"\} 1/);
      assert.equal((await fetch(`${server.url}/`)).status, 404);
      assert.equal((await fetch(`${server.url}/metrics`, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
    }
  });
});
