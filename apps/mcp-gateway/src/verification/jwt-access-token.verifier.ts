import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { CLIENT_KINDS, type ClientKind, connectorUrl, Principal, principalIdentifiers, TOOL_SCOPES, WorkspaceContext } from '@tessera/domain';
import { OidcModelRepository } from '@tessera/persistence';
import { InvalidationEvents, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import type { MaybePromise } from '../common/maybe-promise';
import type { AccessTokenVerifier } from './access-token-verifier';
import { TtlCache } from './ttl-cache';

const GRANT_CACHE_TTL_MS = 15_000;
/** A verified token is trusted this long without checking its signature again (never past its expiry). */
const VERIFIED_TTL_MS = 15_000;
const CLOCK_TOLERANCE_S = 5;

/** A token whose signature, issuer, audience and type checked out, and for which workspace. */
interface VerifiedJwt {
  readonly principal: Principal;
  readonly grantId: string;
  readonly workspaceId: string;
  readonly tenantSlug: string;
  readonly workspaceSlug: string;
  /** Epoch ms from which the token is expired (its exp plus the clock tolerance, as jwtVerify counts). */
  readonly expiredAt: number;
}

interface AccessTokenClaims extends JWTPayload {
  scope?: string;
  client_id?: string;
  email?: string;
  groups?: unknown;
  gid?: string;
  workspace_id?: string;
  client_kind?: string;
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
  /** Keyed by the token itself (held here only: never logged, never exposed); the grant is still checked per request. */
  private readonly verified = new TtlCache<VerifiedJwt>(VERIFIED_TTL_MS, 20_000);

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly models: OidcModelRepository,
    events: InvalidationEvents,
  ) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
    events.onGrantRevoked((grantId) => {
      this.grants.set(grantId, false);
      this.verified.deleteWhere((v) => v.grantId === grantId);
    });
  }

  accepts(token: string): boolean {
    if (!token.startsWith('eyJ')) return false;
    const first = token.indexOf('.');
    const second = first === -1 ? -1 : token.indexOf('.', first + 1);
    return second !== -1 && token.indexOf('.', second + 1) === -1; // three segments
  }

  verify(token: string, workspace: WorkspaceContext): MaybePromise<Principal | null> {
    const known = this.verified.get(token);
    if (!known || !isFor(known, workspace)) return this.verifySignature(token, workspace);
    if (known.expiredAt <= Date.now()) return null;
    const active = this.grants.get(known.grantId);
    if (active !== undefined) return active ? known.principal : null;
    return this.grantIsActive(known.grantId).then((stillActive) => (stillActive ? known.principal : null));
  }

  private async verifySignature(token: string, workspace: WorkspaceContext): Promise<Principal | null> {
    let claims: AccessTokenClaims;
    try {
      const verified = await jwtVerify<AccessTokenClaims>(token, this.jwks, {
        issuer: this.config.issuer,
        audience: connectorUrl(this.platform.publicUrl, workspace.tenantSlug, workspace.workspaceSlug),
        typ: 'at+jwt',
        algorithms: ['ES256'],
        clockTolerance: CLOCK_TOLERANCE_S,
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
    const principal: Principal = {
      kind: 'user',
      subject: claims.sub!,
      identifiers: principalIdentifiers(claims.sub!, claims.email),
      groups,
      scopes,
      clientId: claims.client_id,
      clientKind: clientKindClaimed(claims),
      credentialId: claims.gid,
    };
    const expiredAt = (claims.exp! + CLOCK_TOLERANCE_S) * 1000;
    const ttl = Math.min(VERIFIED_TTL_MS, expiredAt - Date.now());
    const { workspaceId, tenantSlug, workspaceSlug } = workspace;
    if (ttl > 0) this.verified.set(token, { principal, grantId: claims.gid, workspaceId, tenantSlug, workspaceSlug, expiredAt }, ttl);
    return principal;
  }

  private async grantIsActive(grantId: string): Promise<boolean> {
    const cached = this.grants.get(grantId);
    if (cached !== undefined) return cached;
    const active = await this.models.grantIsActive(grantId);
    // A revocation that arrived while the database answered stands.
    if (this.grants.get(grantId) === false) return false;
    this.grants.set(grantId, active);
    return active;
  }
}

/** The audience was this workspace's connector URL: the same workspace under the same slugs. */
function isFor(verified: VerifiedJwt, workspace: WorkspaceContext): boolean {
  return verified.workspaceId === workspace.workspaceId && verified.tenantSlug === workspace.tenantSlug && verified.workspaceSlug === workspace.workspaceSlug;
}

/**
 * The client's kind, for the directory check's client policy (clientKindRefusal). Tokens issued before
 * `client_kind` existed (they live 15 minutes) still tell a metadata-document client by its URL id.
 */
function clientKindClaimed(claims: AccessTokenClaims): ClientKind | undefined {
  if ((CLIENT_KINDS as readonly string[]).includes(claims.client_kind ?? '')) return claims.client_kind as ClientKind;
  return /^https:\/\//.test(claims.client_id ?? '') ? 'metadata-document' : undefined;
}
