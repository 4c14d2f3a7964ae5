import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * In-process notices that cached facts changed (a token revoked, a workspace deleted), so caches in
 * this process drop them at once. Replicas in other processes bound staleness with their cache TTL.
 */
@Injectable()
export class InvalidationEvents {
  private readonly emitter = new EventEmitter();

  tokenRevoked(tokenHash: string): void {
    this.emitter.emit('token-revoked', tokenHash);
  }

  onTokenRevoked(listener: (tokenHash: string) => void): void {
    this.emitter.on('token-revoked', listener);
  }

  workspaceChanged(tenantSlug: string, workspaceSlug: string): void {
    this.emitter.emit('workspace-changed', tenantSlug, workspaceSlug);
  }

  onWorkspaceChanged(listener: (tenantSlug: string, workspaceSlug: string) => void): void {
    this.emitter.on('workspace-changed', listener);
  }

  /** A tenant's directory (people, groups, memberships) changed in this process. */
  directoryChanged(tenantId: string): void {
    this.emitter.emit('directory-changed', tenantId);
  }

  onDirectoryChanged(listener: (tenantId: string) => void): void {
    this.emitter.on('directory-changed', listener);
  }

  /** A grant was revoked in this process: for one resource (a connector URL) only, or whole. */
  grantRevoked(grantId: string, resource?: string): void {
    this.emitter.emit('grant-revoked', grantId, resource);
  }

  onGrantRevoked(listener: (grantId: string, resource: string | undefined) => void): void {
    this.emitter.on('grant-revoked', listener);
  }
}
