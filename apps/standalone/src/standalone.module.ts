import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '../../auth/src/auth.module';
import { McpGatewayModule } from '../../mcp-gateway/src/mcp-gateway.module';
import type { GatewayConfig } from '../../mcp-gateway/src/config/gateway-config';
import type { AuthConfig } from '../../auth/src/config/auth-config';
import { TenantApiModule } from '../../tenant-api/src/tenant-api.module';
import { Database, PersistenceModule } from '@tessera/persistence';
import { SearchBackendSelection, SearchModule } from '@tessera/search';
import { PlatformConfig, PlatformCoreModule } from '@tessera/server';
import { HealthModule } from '@tessera/observability';

/** All three apps in one process, as `npm start` runs them. */
@Module({})
export class StandaloneModule {
  static forRoot(config: PlatformConfig, gateway: GatewayConfig, auth: AuthConfig, search: SearchBackendSelection, database: Database): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [
        PlatformCoreModule.forConfig(config),
        PersistenceModule.forDatabase(database),
        SearchModule.forSelection(search, { upgradeMappingsOnStart: true }),
        HealthModule,
        TenantApiModule,
        AuthModule.forConfig(auth),
        McpGatewayModule.forConfig(gateway),
      ],
    };
  }
}
