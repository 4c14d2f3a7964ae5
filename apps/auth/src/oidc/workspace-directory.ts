import { Inject, Injectable } from '@nestjs/common';
import { connectorUrl, isUuid, tenantOfConsoleResource, WorkspaceContext } from '@tessera/domain';
import { TenantAdminRepository, TenantRepository, UserEntity, UserRepository, WorkspaceRepository } from '@tessera/persistence';
import { PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';

const CONNECTOR_PATH = /^\/mcp\/([a-z0-9-]{1,63})\/([a-z0-9-]{1,63})$/;

/** Signing in to the admin console of one tenant (only its admins may), rather than to a workspace. */
export interface ConsoleTarget {
  readonly kind: 'console';
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly tenantName: string;
  readonly workspaceName: string;
}

/** What a sign-in is for, named by its `resource`: a workspace's connector, or a tenant's console. */
export type SignInTarget = WorkspaceContext | ConsoleTarget;

export function isConsoleTarget(target: SignInTarget): target is ConsoleTarget {
  return 'kind' in target && target.kind === 'console';
}

/** What the authorization server needs to know about workspaces and their people. */
@Injectable()
export class WorkspaceDirectory {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly workspaces: WorkspaceRepository,
    private readonly users: UserRepository,
    private readonly tenants: TenantRepository,
    private readonly admins: TenantAdminRepository,
  ) {}

  /** A workspace's connector URL, or the console resource of an existing tenant. */
  async signInTargetForResource(resource: string): Promise<SignInTarget | null> {
    const slug = tenantOfConsoleResource(this.platform.publicUrl, resource);
    if (slug === undefined) return this.workspaceForResource(resource);
    const tenant = await this.tenants.findBySlug(slug);
    return tenant ? { kind: 'console', tenantId: tenant.id, tenantSlug: tenant.slug, tenantName: tenant.name, workspaceName: 'the admin console' } : null;
  }

  /**
   * Whether the user may sign in to the target: their groups in the workspace, or [] for an active tenant
   * admin at the console; null when they may not (not a member, not an admin, or deactivated).
   */
  async admits(target: SignInTarget, userId: string): Promise<string[] | null> {
    if (!isConsoleTarget(target)) return this.groupsIn(target, userId);
    const user = await this.findUser(userId);
    return user?.active && user.tenantId === target.tenantId && (await this.admins.isAdmin(target.tenantId, user.email)) ? [] : null;
  }

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

  findUserByEmail(workspace: SignInTarget, email: string): Promise<UserEntity | null> {
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
