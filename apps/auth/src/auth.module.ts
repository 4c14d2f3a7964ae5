import { DynamicModule, Module } from '@nestjs/common';
import { OutboundHttp } from '@tessera/server';
import { AUTH_CONFIG, AuthConfig } from './config/auth-config';
import { FederationController } from './interaction/federation.controller';
import { FederationService } from './interaction/federation.service';
import { FederationTestService } from './interaction/federation-test.service';
import { IdpDiscovery } from './interaction/idp-discovery';
import { InteractionController } from './interaction/interaction.controller';
import { InteractionService } from './interaction/interaction.service';
import { OidcHttpHandler } from './oidc/oidc-http.handler';
import { OidcProviderFactory } from './oidc/oidc-provider.factory';
import { OIDC_PROVIDER } from './oidc/oidc-provider.holder';
import { WorkspaceDirectory } from './oidc/workspace-directory';

/** The OAuth 2.1 authorization server. Needs PersistenceModule and PlatformCoreModule. */
@Module({})
export class AuthModule {
  static forConfig(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      controllers: [InteractionController, FederationController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        // Every fetch made on a tenant's or client's say-so (IdP, JWKS, token endpoint, metadata documents).
        { provide: OutboundHttp, useValue: new OutboundHttp({ allowLoopback: config.devAllowLoopbackMetadata, ca: config.metadataFetchCa }) },
        WorkspaceDirectory,
        OidcProviderFactory,
        { provide: OIDC_PROVIDER, inject: [OidcProviderFactory], useFactory: (factory: OidcProviderFactory) => factory.create() },
        OidcHttpHandler,
        InteractionService,
        FederationService,
        FederationTestService,
        IdpDiscovery,
      ],
      exports: [OidcHttpHandler, OIDC_PROVIDER],
    };
  }
}
