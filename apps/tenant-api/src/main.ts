import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { HealthModule, startTracing } from '@tessera/observability';
import { openDatabase, PersistenceModule } from '@tessera/persistence';
import { loadSearchBackendSelection, SearchModule } from '@tessera/search';
import { ConfigError, loadPlatformConfig, PlatformCoreModule, startHttpApp } from '@tessera/server';
import { startWorkspaceController } from './kube/workspace-controller.runner';
import { TenantApiModule } from './tenant-api.module';

/** The tenant API alone, as its own Deployment runs it. Migrations run in their own Job. */
async function main(): Promise<void> {
  startTracing(process.env, 'tessera-tenant-api');
  const config = loadPlatformConfig(process.env, { allowGeneratedAdminToken: false });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  @Module({
    imports: [PlatformCoreModule.forConfig(config), PersistenceModule.forDatabase(database), SearchModule.forSelection(loadSearchBackendSelection(process.env), { upgradeMappingsOnStart: true }), HealthModule, TenantApiModule],
  })
  class TenantApiAppModule {}
  const running = await startHttpApp({ module: TenantApiAppModule, config, openApi: { title: 'Tessera tenant API', path: 'docs' } });
  console.log(`tenant-api listening on ${running.url}`);
  // The Workspace custom-resource controller (WORKSPACE_CONTROLLER_ENABLED=true, in Kubernetes only).
  const controller = await startWorkspaceController(process.env, { url: running.url, adminToken: config.adminToken });
  process.once('SIGTERM', () => void controller.stop().then(() => running.close()).then(() => database.close()).then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
