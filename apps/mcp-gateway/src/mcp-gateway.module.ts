import { DynamicModule, Module } from '@nestjs/common';
import { ToolAuditLog } from './audit/tool-audit-log';
import { ConnectorRateLimits } from './guard/connector-rate-limits';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway-config';
import { McpHttpHandler } from './mcp/mcp-http.handler';
import { McpProtocol } from './mcp/mcp-protocol';
import { WorkspaceToolsService } from './tools/workspace-tools.service';
import { ACCESS_TOKEN_VERIFIERS } from './verification/access-token-verifier';
import { BearerAuthenticator } from './verification/bearer-authenticator';
import { DirectoryCheck } from './verification/directory-check';
import { JwtAccessTokenVerifier } from './verification/jwt-access-token.verifier';
import { WorkspaceTokenVerifier } from './verification/workspace-token.verifier';
import { WorkspaceResolver } from './workspace/workspace-resolver';

/** The per-workspace MCP endpoint. Needs PersistenceModule, SearchModule and PlatformCoreModule. */
@Module({})
export class McpGatewayModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: McpGatewayModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        WorkspaceTokenVerifier,
        JwtAccessTokenVerifier,
        {
          provide: ACCESS_TOKEN_VERIFIERS,
          inject: [WorkspaceTokenVerifier, JwtAccessTokenVerifier],
          useFactory: (workspaceTokens: WorkspaceTokenVerifier, jwts: JwtAccessTokenVerifier) => [workspaceTokens, jwts],
        },
        DirectoryCheck,
        BearerAuthenticator,
        WorkspaceResolver,
        ToolAuditLog,
        ConnectorRateLimits,
        WorkspaceToolsService,
        McpProtocol,
        McpHttpHandler,
      ],
      exports: [McpHttpHandler, GATEWAY_CONFIG],
    };
  }
}
