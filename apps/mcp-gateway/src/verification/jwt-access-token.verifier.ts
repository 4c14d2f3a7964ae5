import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { connectorUrl, Principal, principalIdentifiers, TOOL_SCOPES, WorkspaceContext } from '@tessera/domain';
import { OidcModelRepository } from '@tessera/persistence';
import { InvalidationEvents, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import type { AccessTokenVerifier } from './access-token-verifier';
import { TtlCache } from './ttl-cache';

const GRANT_CACHE_TTL_MS = 15_000;

interface AccessTokenClaims extends JWTPayload {
  scope?: string;
  client_id?: string;
  email?: string;
  groups?: unknown;
  gid?: string;
  workspace_id?: string;
}

/**
 * OAuth access tokens from Tessera's authorization server: RFC 9068 JWTs verified locally against the
 * issuer's JWKS (fetched once, refetched for an unknown key id, never per request). The audience must
 * be exactly this workspace's connector URL; the grant behind the token must still stand.
 */
@Injectable()
export class JwtAccessTokenVerifier implements AccessTokenVerifier {
  private readonly logger = new Logger(JwtAccessTokenVerifier.name);
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly grants = new TtlCache<boolean>(GRANT_CACHE_TTL_MS, 50_000);

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly models: OidcModelRepository,
    events: InvalidationEvents,
  ) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
    events.onGrantRevoked((grantId) => this.grants.set(grantId, false));
  }

  accepts(token: string): boolean {
    return token.startsWith('eyJ') && token.split('.').length === 3;
  }

  async verify(token: string, workspace: WorkspaceContext): Promise<Principal | null> {
    let claims: AccessTokenClaims;
    try {
      const verified = await jwtVerify<AccessTokenClaims>(token, this.jwks, {
        issuer: this.config.issuer,
        audience: connectorUrl(this.platform.publicUrl, workspace.tenantSlug, workspace.workspaceSlug),
        typ: 'at+jwt',
        algorithms: ['ES256'],
        clockTolerance: 5,
        requiredClaims: ['sub', 'exp', 'iat', 'client_id'],
      });
      claims = verified.payload;
    } catch (error) {
      this.logger.debug(`access token rejected: ${(error as Error).name}`);
      return null;
    }
    if (claims.workspace_id !== undefined && claims.workspace_id !== workspace.workspaceId) return null;
    if (!claims.gid || !(await this.grantIsActive(claims.gid))) return null;
    const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
    const scopes = (claims.scope ?? '').split(' ').filter((s) => (TOOL_SCOPES as readonly string[]).includes(s));
    return {
      kind: 'user',
      subject: claims.sub!,
      identifiers: principalIdentifiers(claims.sub!, claims.email),
      groups,
      scopes,
      clientId: claims.client_id,
      credentialId: claims.gid,
    };
  }

  private async grantIsActive(grantId: string): Promise<boolean> {
    const cached = this.grants.get(grantId);
    if (cached !== undefined) return cached;
    const active = await this.models.grantIsActive(grantId);
    this.grants.set(grantId, active);
    return active;
  }
}
