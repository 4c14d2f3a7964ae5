import { Injectable } from '@nestjs/common';
import { CredentialRevocation } from '../users/credential-revocation';
import type { ScimCaller } from './scim-auth.guard';
import { ScimAudit } from './scim-audit';

/**
 * What deactivating or deleting a person ends at once: the workspace access tokens issued to them,
 * their OAuth grants (with every access and refresh token issued under them) and their sign-in
 * sessions. This process's caches drop them now; gateways elsewhere refuse the person on their next
 * call because the directory no longer admits them (see the gateway's DirectoryCheck).
 */
@Injectable()
export class UserDeprovisioning {
  constructor(
    private readonly revocation: CredentialRevocation,
    private readonly audit: ScimAudit,
  ) {}

  async revokeAccess(caller: ScimCaller, user: { id: string; email: string }, reason: 'deactivated' | 'deleted'): Promise<void> {
    const revoked = await this.revocation.revoke(caller.tenantId, user);
    await this.audit.record(caller, 'scim.user.credentials_revoked', { userId: user.id, reason, ...revoked });
  }
}
