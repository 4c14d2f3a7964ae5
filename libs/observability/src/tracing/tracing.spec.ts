import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { inSpan, startSpan, tracingEnabled, withSpan } from './tracing';

// One file, one process: registering a provider here affects no other spec.
describe('tracing helpers', () => {
  it('build no spans while no tracer provider is registered', async () => {
    assert.equal(tracingEnabled(), false);
    assert.equal(startSpan('mcp.request', {}), undefined);
    assert.equal(withSpan(undefined, () => 42), 42);
    assert.equal(inSpan('auth.verify_token', {}, (span) => (span.isRecording() ? 'recording' : 'not recording')), 'not recording');
  });

  it('record request spans, with synchronous and asynchronous work nested in them, once a provider is registered', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    try {
      assert.equal(tracingEnabled(), true);
      const request = startSpan('mcp.request', { attributes: { 'tessera.tenant': 'acme' } });
      assert.ok(request?.isRecording());
      const cached = withSpan(request, () => inSpan('auth.verify_token', { 'tessera.token_kind': 'cached' }, () => 'at once'));
      assert.equal(cached, 'at once', 'synchronous work answers synchronously');
      const looked = await withSpan(request, () => inSpan('search_backend.get', {}, async () => 'later'));
      assert.equal(looked, 'later');
      await assert.rejects(withSpan(request, () => inSpan('search_backend.search', {}, async () => Promise.reject(new RangeError('x')))) as Promise<unknown>);
      request!.end();
      const spans = exporter.getFinishedSpans();
      expect(spans.map((s) => s.name)).toStrictEqual(['auth.verify_token', 'search_backend.get', 'search_backend.search', 'mcp.request']);
      const parent = request!.spanContext().spanId;
      for (const child of spans.slice(0, 3)) assert.equal(child.parentSpanContext?.spanId, parent, `${child.name} nests in mcp.request`);
      assert.equal(spans[2]!.status.message, 'RangeError', 'a failure marks the span with the error name only');
    } finally {
      await provider.shutdown();
      trace.disable();
    }
  });
});
