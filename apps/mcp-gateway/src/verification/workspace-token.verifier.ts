import { Injectable } from '@nestjs/common';
import { Principal, principalIdentifiers, WorkspaceContext } from '@tessera/domain';
import { AccessTokenEntity, AccessTokenRepository } from '@tessera/persistence';
import { hashSecret, InvalidationEvents } from '@tessera/server';
import type { AccessTokenVerifier } from './access-token-verifier';
import { TtlCache } from './ttl-cache';

/** Revocation reaches other processes within this bound; this process drops a revoked token at once. */
const CACHE_TTL_MS = 15_000;

/** Workspace access tokens (`tsr_…`), issued by a tenant admin for the Responses API. */
@Injectable()
export class WorkspaceTokenVerifier implements AccessTokenVerifier {
  private readonly cache = new TtlCache<AccessTokenEntity>(CACHE_TTL_MS, 50_000);

  constructor(
    private readonly tokens: AccessTokenRepository,
    events: InvalidationEvents,
  ) {
    events.onTokenRevoked((hash) => this.cache.delete(hash));
  }

  accepts(token: string): boolean {
    return token.startsWith('tsr_') && token.length < 200;
  }

  async verify(token: string, workspace: WorkspaceContext): Promise<Principal | null> {
    const hash = hashSecret(token);
    let entity = this.cache.get(hash);
    if (!entity) {
      entity = (await this.tokens.findActiveByHash(hash)) ?? undefined;
      if (!entity) return null;
      this.cache.set(hash, entity);
    }
    if (entity.expiresAt && entity.expiresAt.getTime() <= Date.now()) return null;
    if (entity.workspaceId !== workspace.workspaceId) return null;
    return {
      kind: 'workspace-token',
      subject: entity.subject,
      identifiers: principalIdentifiers(entity.subject),
      groups: entity.groups,
      scopes: entity.scopes,
      credentialId: entity.id,
    };
  }
}
