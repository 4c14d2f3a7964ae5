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
  /** The connector URL the token was issued for (its audience). */
  readonly resource: string;
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
 * be exactly this workspace's connector URL; the grant behind the token must still stand for it (a
 * grant covers every workspace one person consented to through one client, and may lose one of them).
 */
@Injectable()
export class JwtAccessTokenVerifier implements AccessTokenVerifier {
  private readonly logger = new Logger(JwtAccessTokenVerifier.name);
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  /** Whether a grant stands for a resource, keyed by both (grantKey). */
  private readonly grants = new TtlCache<boolean>(GRANT_CACHE_TTL_MS, 50_000);
  /** Grants revoked whole in this process, whatever resource is asked about. */
  private readonly revoked = new TtlCache<true>(GRANT_CACHE_TTL_MS, 50_000);
  /** Keyed by the token itself (held here only: never logged, never exposed); the grant is still checked per request. */
  private readonly verified = new TtlCache<VerifiedJwt>(VERIFIED_TTL_MS, 20_000);

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly models: OidcModelRepository,
    events: InvalidationEvents,
  ) {
    this.jwks = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 });
    events.onGrantRevoked((grantId, resource) => {
      if (resource === undefined) this.revoked.set(grantId, true);
      else this.grants.set(grantKey(grantId, resource), false);
      this.verified.deleteWhere((v) => v.grantId === grantId && (resource === undefined || v.resource === resource));
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
    const active = this.revoked.get(known.grantId) ? false : this.grants.get(grantKey(known.grantId, known.resource));
    if (active !== undefined) return active ? known.principal : null;
    return this.grantCovers(known.grantId, known.resource).then((stillActive) => (stillActive ? known.principal : null));
  }

  private async verifySignature(token: string, workspace: WorkspaceContext): Promise<Principal | null> {
    let claims: AccessTokenClaims;
    const resource = connectorUrl(this.platform.publicUrl, workspace.tenantSlug, workspace.workspaceSlug);
    try {
      const verified = await jwtVerify<AccessTokenClaims>(token, this.jwks, {
        issuer: this.config.issuer,
        audience: resource,
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
    if (!claims.gid || !(await this.grantCovers(claims.gid, resource))) return null;
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
    if (ttl > 0) this.verified.set(token, { principal, grantId: claims.gid, resource, workspaceId, tenantSlug, workspaceSlug, expiredAt }, ttl);
    return principal;
  }

  private async grantCovers(grantId: string, resource: string): Promise<boolean> {
    const key = grantKey(grantId, resource);
    if (this.revoked.get(grantId)) return false;
    const cached = this.grants.get(key);
    if (cached !== undefined) return cached;
    const active = await this.models.grantCovers(grantId, resource);
    // A revocation that arrived while the database answered stands.
    if (this.revoked.get(grantId) || this.grants.get(key) === false) return false;
    this.grants.set(key, active);
    return active;
  }
}

function grantKey(grantId: string, resource: string): string {
  return `${grantId} ${resource}`;
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
