import { DynamicModule, Global, Module } from '@nestjs/common';
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
      providers: [{ provide: PLATFORM_CONFIG, useValue: config }, InvalidationEvents],
      exports: [PLATFORM_CONFIG, InvalidationEvents],
    };
  }
}
