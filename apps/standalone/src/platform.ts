import { loadAuthConfig } from '../../auth/src/config/auth-config';
import { OidcHttpHandler } from '../../auth/src/oidc/oidc-http.handler';
import { loadGatewayConfig } from '../../mcp-gateway/src/config/gateway-config';
import { McpHttpHandler } from '../../mcp-gateway/src/mcp/mcp-http.handler';
import { openDatabase } from '@tessera/persistence';
import { loadSearchBackendSelection } from '@tessera/search';
import { loadPlatformConfig, RunningHttpApp, startHttpApp } from '@tessera/server';
import { seedDemo, type DemoState } from './seed/demo-seed';
import { StandaloneModule } from './standalone.module';

export interface RunningPlatform extends RunningHttpApp {
  readonly adminToken: string;
  /** True when this start generated the admin token (the only start that prints it). */
  readonly adminTokenCreated: boolean;
  readonly demo?: DemoState;
}

/**
 * Starts every app in one process: opens (and migrates) the database, seeds the demo on first start
 * when asked to, and serves HTTP. Used by `npm start` and by the end-to-end tests.
 */
export async function startPlatform(env: NodeJS.ProcessEnv = process.env): Promise<RunningPlatform> {
  const config = loadPlatformConfig(env, { allowGeneratedAdminToken: true });
  // In one process the gateway fetches the JWKS from its own listener, not through the public URL.
  const gateway = loadGatewayConfig({ AUTH_JWKS_URL: `http://127.0.0.1:${config.port}/oauth/jwks`, ...env }, config.publicUrl);
  const auth = loadAuthConfig(env, config.publicUrl, config.adminToken);
  const search = loadSearchBackendSelection(env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: true });
  try {
    const running = await startHttpApp({
      module: StandaloneModule.forRoot(config, gateway, auth, search, database),
      config,
      rawHandlers: (app) => [app.get(McpHttpHandler), app.get(OidcHttpHandler)],
      openApi: { title: 'Tessera tenant API', path: 'docs' },
    });
    const demo = config.seedDemo ? await seedDemo(running.app, config) : undefined;
    return {
      ...running,
      adminToken: config.adminToken,
      adminTokenCreated: config.adminTokenCreated,
      demo,
      async close() {
        await running.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
