import { Injectable } from '@nestjs/common';
import { AuditRepository } from '@tessera/persistence';
import type { ScimCaller } from './scim-auth.guard';

export type ScimAuditAction =
  | 'scim.user.create' | 'scim.user.replace' | 'scim.user.patch' | 'scim.user.delete' | 'scim.user.deactivate' | 'scim.user.credentials_revoked'
  | 'scim.group.create' | 'scim.group.replace' | 'scim.group.patch' | 'scim.group.delete';

/** Every SCIM change is an audit event of the tenant, by the SCIM token that made it. */
@Injectable()
export class ScimAudit {
  constructor(private readonly audit: AuditRepository) {}

  record(caller: ScimCaller, action: ScimAuditAction, details: Record<string, unknown>): Promise<void> {
    return this.audit.append({
      tenantId: caller.tenantId,
      workspaceId: null,
      actorKind: 'scim',
      actorId: `scim-token:${caller.tokenId}`,
      action,
      outcome: 'success',
      details,
    });
  }
}
