import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { RATE_LIMITER } from '../rate-limit/rate-limiter';
import { createRateLimiter } from '../rate-limit/redis-rate-limiter';
import { InvalidationEvents } from '../events/invalidation-events';
import type { PlatformConfig } from './platform-config';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

/** Platform-wide singletons every app needs: the validated configuration and in-process events. */
@Global()
@Module({})
export class PlatformCoreModule {
  static forConfig(config: PlatformConfig): DynamicModule {
    return {
      module: PlatformCoreModule,
      providers: [
        { provide: PLATFORM_CONFIG, useValue: config },
        InvalidationEvents,
        {
          provide: RATE_LIMITER,
          useFactory: () => {
            const logger = new Logger('RateLimiter');
            let lastReport = 0;
            return createRateLimiter(config.redisUrl, (error) => {
              // Reported at most once a minute: a Redis outage must not flood the logs.
              if (Date.now() - lastReport > 60_000) {
                lastReport = Date.now();
                logger.warn(`rate limiter store unavailable, allowing requests: ${(error as Error).message}`);
              }
            });
          },
        },
      ],
      exports: [PLATFORM_CONFIG, InvalidationEvents, RATE_LIMITER],
    };
  }
}
