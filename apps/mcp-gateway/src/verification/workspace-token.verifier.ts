import { Injectable } from '@nestjs/common';
import { Principal, principalIdentifiers, WorkspaceContext } from '@tessera/domain';
import { AccessTokenEntity, AccessTokenRepository } from '@tessera/persistence';
import { hashSecret, InvalidationEvents } from '@tessera/server';
import type { MaybePromise } from '../common/maybe-promise';
import type { AccessTokenVerifier } from './access-token-verifier';
import { TtlCache } from './ttl-cache';

/** Revocation reaches other processes within this bound; this process drops a revoked token at once. */
const CACHE_TTL_MS = 15_000;

interface VerifiedToken {
  readonly entity: AccessTokenEntity;
  readonly principal: Principal;
}

/** Workspace access tokens (`tsr_…`), issued by a tenant admin for the Responses API. */
@Injectable()
export class WorkspaceTokenVerifier implements AccessTokenVerifier {
  /**
   * Keyed by the token itself, so that a repeat request costs a map lookup rather than a hash. The
   * tokens stay in this map only: never logged, never exposed.
   */
  private readonly verified = new TtlCache<VerifiedToken>(CACHE_TTL_MS, 50_000);
  /** Raised by every revocation: a lookup that was in flight meanwhile is not cached. */
  private revocations = 0;

  constructor(
    private readonly tokens: AccessTokenRepository,
    events: InvalidationEvents,
  ) {
    events.onTokenRevoked((hash) => {
      this.revocations++;
      this.verified.deleteWhere((v) => v.entity.tokenHash === hash);
    });
  }

  accepts(token: string): boolean {
    return token.startsWith('tsr_') && token.length < 200;
  }

  verify(token: string, workspace: WorkspaceContext): MaybePromise<Principal | null> {
    const known = this.verified.get(token);
    if (known) return principalFor(known, workspace);
    const revocations = this.revocations;
    return this.tokens.findActiveByHash(hashSecret(token)).then((entity) => {
      if (!entity) return null;
      const verified: VerifiedToken = { entity, principal: principalOf(entity) };
      if (revocations === this.revocations) this.verified.set(token, verified);
      return principalFor(verified, workspace);
    });
  }
}

/** Checked on every request, cached or not: expiry and the workspace the token belongs to. */
function principalFor({ entity, principal }: VerifiedToken, workspace: WorkspaceContext): Principal | null {
  if (entity.expiresAt && entity.expiresAt.getTime() <= Date.now()) return null;
  if (entity.workspaceId !== workspace.workspaceId) return null;
  return principal;
}

function principalOf(entity: AccessTokenEntity): Principal {
  return {
    kind: 'workspace-token',
    subject: entity.subject,
    identifiers: principalIdentifiers(entity.subject),
    groups: entity.groups,
    scopes: entity.scopes,
    credentialId: entity.id,
  };
}
