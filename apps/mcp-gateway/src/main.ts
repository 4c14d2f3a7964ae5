import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { HealthModule, startTracing } from '@tessera/observability';
import { openDatabase, PersistenceModule } from '@tessera/persistence';
import { loadSearchBackendSelection, SearchModule } from '@tessera/search';
import { ConfigError, loadPlatformConfig, PlatformCoreModule, startHttpApp } from '@tessera/server';
import { loadGatewayConfig } from './config/gateway-config';
import { McpGatewayModule } from './mcp-gateway.module';
import { McpHttpHandler } from './mcp/mcp-http.handler';

/** The MCP gateway alone, as its own Deployment runs it. */
async function main(): Promise<void> {
  startTracing(process.env, 'tessera-mcp-gateway');
  const config = loadPlatformConfig(process.env, { allowGeneratedAdminToken: false, adminTokenOrQueryHashKey: true });
  const gateway = loadGatewayConfig(process.env, config.publicUrl);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  @Module({
    imports: [
      PlatformCoreModule.forConfig(config),
      PersistenceModule.forDatabase(database),
      SearchModule.forSelection(loadSearchBackendSelection(process.env)),
      HealthModule,
      McpGatewayModule.forConfig(gateway),
    ],
  })
  class GatewayAppModule {}
  const running = await startHttpApp({ module: GatewayAppModule, config, rawHandlers: (app) => [app.get(McpHttpHandler)] });
  console.log(`mcp-gateway listening on ${running.url}`);
  process.once('SIGTERM', () => void running.close().then(() => database.close()).then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
