import { Inject, Injectable } from '@nestjs/common';
import { connectorUrl, isUuid, WorkspaceContext } from '@tessera/domain';
import { UserEntity, UserRepository, WorkspaceRepository } from '@tessera/persistence';
import { PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';

const CONNECTOR_PATH = /^\/mcp\/([a-z0-9-]{1,63})\/([a-z0-9-]{1,63})$/;

/** What the authorization server needs to know about workspaces and their people. */
@Injectable()
export class WorkspaceDirectory {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly workspaces: WorkspaceRepository,
    private readonly users: UserRepository,
  ) {}

  /** A `resource` indicator is valid only if it is exactly the connector URL of an existing workspace. */
  async workspaceForResource(resource: string): Promise<WorkspaceContext | null> {
    const base = this.platform.publicUrl;
    if (!resource.startsWith(`${base}/`)) return null;
    const match = CONNECTOR_PATH.exec(resource.slice(base.length));
    if (!match) return null;
    const context = await this.workspaces.findContext(match[1]!, match[2]!);
    if (!context || connectorUrl(base, context.tenantSlug, context.workspaceSlug) !== resource) return null;
    return context;
  }

  findUserByEmail(workspace: WorkspaceContext, email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(workspace.tenantId, email.trim().toLowerCase());
  }

  findUser(id: string): Promise<UserEntity | null> {
    return isUuid(id) ? this.users.findById(id) : Promise.resolve(null);
  }

  /** The user's groups in the workspace, or null when they are not (or no longer) a member. */
  groupsIn(workspace: WorkspaceContext, userId: string): Promise<string[] | null> {
    return this.users.groupsIn(workspace.workspaceId, userId);
  }
}
