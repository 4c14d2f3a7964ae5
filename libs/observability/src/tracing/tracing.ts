import { context, INVALID_SPAN_CONTEXT, ProxyTracerProvider, type Span, type SpanOptions, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry tracing, off by default. With `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) set, spans for the gateway request, token verification and
 * the search-backend call are exported over OTLP/HTTP. Without it, the API is a no-op and costs nothing.
 * Spans carry ids, names and outcomes only: never a query, a token or document text.
 */
export interface TracingHandle {
  shutdown(): Promise<void>;
}

// A proxy: it forwards to the provider registered later by startTracing, and is a no-op without one.
const TRACER = trace.getTracer('tessera');
/** What the API delegates to while no provider is registered (a fresh proxy has none). */
const NO_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOT_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export function tracer(): Tracer {
  return TRACER;
}

/** Whether a tracer provider is registered; without one, hot paths skip building spans and contexts. */
export function tracingEnabled(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_PROVIDER;
}

/** A span for work that ends later (e.g. with the response), or undefined when tracing is off. */
export function startSpan(name: string, options: SpanOptions): Span | undefined {
  return tracingEnabled() ? TRACER.startSpan(name, options) : undefined;
}

/** Runs `work` with `span` as the active span, so that spans started inside nest under it. */
export function withSpan<T>(span: Span | undefined, work: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), work) : work();
}

/** Starts exporting when the standard OTLP variables ask for it; returns undefined when tracing is off. */
export function startTracing(env: NodeJS.ProcessEnv, serviceName: string): TracingHandle | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true') return undefined;
  // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself, as the spec says.
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/**
 * Runs `work` in a span that ends with it: at once when `work` answers synchronously (e.g. from a
 * cache), else when its promise settles. Errors mark the span, never carry their message outward.
 */
export function inSpan<T>(
  name: string,
  attributes: Record<string, string | number | boolean>,
  work: (span: Span) => T | Promise<T>,
  kind = SpanKind.INTERNAL,
): T | Promise<T> {
  if (!tracingEnabled()) return work(NOT_RECORDING);
  const span = TRACER.startSpan(name, { kind, attributes });
  let result: T | Promise<T>;
  try {
    result = context.with(trace.setSpan(context.active(), span), work, undefined, span);
  } catch (error) {
    endFailed(span, error);
    throw error;
  }
  if (!(result instanceof Promise)) {
    span.end();
    return result;
  }
  return result.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      endFailed(span, error);
      throw error;
    },
  );
}

function endFailed(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name });
  span.end();
}

export { SpanKind };
