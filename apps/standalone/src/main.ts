import 'reflect-metadata';
import { startTracing } from '@tessera/observability';
import { ConfigError, loadPlatformConfig } from '@tessera/server';
import { startPlatform } from './platform';
import { printWelcome } from './welcome';

async function main(): Promise<void> {
  const tracing = startTracing(process.env, 'tessera');
  const platform = await startPlatform();
  const config = loadPlatformConfig(process.env, { allowGeneratedAdminToken: true });
  printWelcome({ ...platform, publicUrl: config.publicUrl, dataDir: config.dataDir, adminTokenGenerated: config.adminTokenGenerated });
  const stop = async (signal: string) => {
    console.log(`\n${signal}: shutting down`);
    await platform.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
