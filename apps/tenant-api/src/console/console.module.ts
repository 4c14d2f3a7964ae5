import { Module } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { CONSOLE_CONFIG, loadConsoleConfig } from './console.config';
import { ConsoleController } from './console.controller';
import { ConsoleSignInService } from './console-sign-in.service';

@Module({
  controllers: [ConsoleController],
  providers: [
    { provide: CONSOLE_CONFIG, inject: [PLATFORM_CONFIG], useFactory: (platform: PlatformConfig) => loadConsoleConfig(process.env, platform) },
    ConsoleSignInService,
  ],
})
export class ConsoleModule {}
