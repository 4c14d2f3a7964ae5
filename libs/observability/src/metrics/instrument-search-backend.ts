import type { SearchBackend } from '@tessera/search';
import { SpanStatusCode } from '@opentelemetry/api';
import { startSpan } from '../tracing/tracing';
import type { TesseraMetrics } from './tessera-metrics';

/**
 * A provider token shared with @tessera/search without an import (Symbol.for): ObservabilityModule provides
 * `(backend) => instrumentSearchBackend(backend, metrics)` under it, and SearchModule's factory can inject
 * it as optional and apply it to the backend it builds.
 */
export const SEARCH_BACKEND_DECORATOR: unique symbol = Symbol.for('tessera.search-backend-decorator') as never;
export type SearchBackendDecorator = <B extends SearchBackend>(backend: B) => B;

/**
 * Wraps a SearchBackend so that every operation it has (now and when the port grows) is timed into
 * tessera_search_backend_duration_seconds{op,outcome} and traced as a span `search_backend.<op>`
 * (a no-op unless tracing is on); `op` is the method name in snake_case.
 * Results, errors and `name` pass through unchanged. A backend with the port's optional `cacheStats()`
 * (PostgresSearchBackend) is also watched by the search cache metrics, read from the backend itself at
 * scrape time (untimed).
 */
export function instrumentSearchBackend<B extends SearchBackend>(backend: B, metrics: TesseraMetrics): B {
  if (backend.cacheStats) metrics.watchSearchCache(() => backend.cacheStats!());
  backend.watchRebalances?.((outcome) => metrics.searchRebalance(outcome));
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(backend, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      let timed = wrapped.get(property);
      if (!timed) {
        const op = property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        const method = value as (...args: unknown[]) => unknown;
        timed = function (this: unknown, ...args: unknown[]) {
          const started = performance.now();
          const seconds = () => (performance.now() - started) / 1000;
          const span = startSpan(`search_backend.${op}`, { attributes: { 'tessera.search_backend': target.name } });
          const done = (outcome: 'ok' | 'error') => {
            metrics.backendCall(op, seconds(), outcome);
            if (outcome === 'error') span?.setStatus({ code: SpanStatusCode.ERROR });
            span?.end();
          };
          let result: unknown;
          try {
            result = method.apply(this === receiver ? target : this, args);
          } catch (error) {
            done('error');
            throw error;
          }
          if (!(result instanceof Promise)) {
            done('ok');
            return result;
          }
          return result.then(
            (resolved) => {
              done('ok');
              return resolved;
            },
            (error: unknown) => {
              done('error');
              throw error;
            },
          );
        };
        wrapped.set(property, timed);
      }
      return timed;
    },
  });
}
