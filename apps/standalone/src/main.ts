import 'reflect-metadata';
import { ConfigError } from '@tessera/server';
import { startPlatform } from './platform';
import { printWelcome } from './welcome';

async function main(): Promise<void> {
  const platform = await startPlatform();
  printWelcome(platform);
  const stop = async (signal: string) => {
    console.log(`\n${signal}: shutting down`);
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
