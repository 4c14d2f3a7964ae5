import { Injectable } from '@nestjs/common';
import { ScimDirectoryRepository } from '@tessera/persistence';
import { InvalidationEvents } from '@tessera/server';

/**
 * The one path that ends a person's credentials (ScimDirectoryRepository.revokeCredentialsOf): SCIM
 * deprovisioning (everything in the tenant) and a tenant admin's removal from one workspace (that
 * workspace's access tokens and the consents for its connector; a consent that covers other workspaces
 * too keeps them). This process's caches drop what was revoked at once; gateways elsewhere hear of it
 * through the database.
 */
@Injectable()
export class CredentialRevocation {
  constructor(
    private readonly directory: ScimDirectoryRepository,
    private readonly events: InvalidationEvents,
  ) {}

  async revoke(
    tenantId: string,
    user: { id: string; email: string },
    workspace?: { id: string; resource: string },
  ): Promise<{ accessTokens: number; grants: number }> {
    const revoked = await this.directory.revokeCredentialsOf(tenantId, user.id, user.email, workspace);
    for (const hash of revoked.tokenHashes) this.events.tokenRevoked(hash);
    for (const grantId of revoked.grantIds) this.events.grantRevoked(grantId);
    for (const grantId of revoked.narrowedGrantIds) this.events.grantRevoked(grantId, workspace?.resource);
    return { accessTokens: revoked.tokenHashes.length, grants: revoked.grantIds.length + revoked.narrowedGrantIds.length };
  }
}
