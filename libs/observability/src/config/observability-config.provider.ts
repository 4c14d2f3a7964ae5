import type { Provider } from '@nestjs/common';
import { loadObservabilityConfig, type ObservabilityConfig } from './observability-config';

export const OBSERVABILITY_CONFIG = Symbol('OBSERVABILITY_CONFIG');

/** Read from the environment once per app, unless ObservabilityModule.forConfig was given one. */
export function observabilityConfigProvider(config?: ObservabilityConfig): Provider {
  return config
    ? { provide: OBSERVABILITY_CONFIG, useValue: config }
    : { provide: OBSERVABILITY_CONFIG, useFactory: () => loadObservabilityConfig(process.env) };
}
