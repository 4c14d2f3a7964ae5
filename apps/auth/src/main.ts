import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { HealthModule, startTracing } from '@tessera/observability';
import { openDatabase, PersistenceModule } from '@tessera/persistence';
import { ConfigError, loadPlatformConfig, PlatformCoreModule, startHttpApp } from '@tessera/server';
import { AuthModule } from './auth.module';
import { loadAuthConfig } from './config/auth-config';
import { OidcHttpHandler } from './oidc/oidc-http.handler';

/** The authorization server alone, as its own Deployment runs it. */
async function main(): Promise<void> {
  startTracing(process.env, 'tessera-auth');
  const config = loadPlatformConfig(process.env, { allowGeneratedAdminToken: false });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const auth = loadAuthConfig(process.env, config.publicUrl, config.adminToken);
  // No search backend: auth serves none, so its readiness does not wait on one.
  @Module({ imports: [PlatformCoreModule.forConfig(config), PersistenceModule.forDatabase(database), HealthModule, AuthModule.forConfig(auth)] })
  class AuthAppModule {}
  const running = await startHttpApp({ module: AuthAppModule, config, rawHandlers: (app) => [app.get(OidcHttpHandler)] });
  console.log(`auth listening on ${running.url}`);
  process.once('SIGTERM', () => void running.close().then(() => database.close()).then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
