import { context, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
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

export function tracer(): Tracer {
  return TRACER;
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
