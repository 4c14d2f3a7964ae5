import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, TesseraError } from '@tessera/domain';
import { AuditRepository, TenantEntity, WorkspaceEntity, WorkspaceRepository } from '@tessera/persistence';
import { SEARCH_BACKEND, type SearchBackend } from '@tessera/search';
import { InvalidationEvents } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import type { UpdateWorkspaceDto } from './dto/workspace-settings.dto';

export interface TenantWorkspace {
  readonly tenant: TenantEntity;
  readonly workspace: WorkspaceEntity;
}

@Injectable()
export class WorkspacesService {
  constructor(
    private readonly access: TenantAccessService,
    private readonly workspaces: WorkspaceRepository,
    private readonly audit: AuditRepository,
    private readonly events: InvalidationEvents,
    @Inject(SEARCH_BACKEND) private readonly search: SearchBackend,
  ) {}

  async create(actor: Actor, tenantSlug: string, input: { slug: string; name: string }): Promise<TenantWorkspace> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const workspace = await this.workspaces.create(tenant.id, input);
    if (!workspace) {
      throw new TesseraError(ErrorCode.Conflict, `tenant "${tenant.slug}" already has a workspace with slug "${input.slug}"`);
    }
    await this.search.createWorkspace(workspace.id);
    this.events.workspaceChanged(tenant.slug, workspace.slug); // drop a cached "no such workspace"
    await this.record(actor, tenant, workspace, 'workspace.create');
    return { tenant, workspace };
  }

  async list(actor: Actor, tenantSlug: string): Promise<TenantWorkspace[]> {
    const tenant = await this.access.requireTenant(actor, tenantSlug);
    const workspaces = await this.workspaces.listByTenant(tenant.id);
    return workspaces.map((workspace) => ({ tenant, workspace }));
  }

  get(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<TenantWorkspace> {
    return this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
  }

  /** Renames the workspace or changes its settings (result count, OAuth client policy). */
  async update(
    actor: Actor,
    tenantSlug: string,
    workspaceSlug: string,
    patch: UpdateWorkspaceDto,
  ): Promise<TenantWorkspace & { flaggedDocumentsChanged?: number }> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const settings: Record<string, unknown> = {};
    if (patch.searchResultLimit !== undefined) settings.searchResultLimit = patch.searchResultLimit;
    if (patch.flaggedDocuments !== undefined) settings.flaggedDocuments = patch.flaggedDocuments;
    if (patch.queryLog !== undefined) settings.queryLog = { ...(workspace.settings.queryLog ?? {}), ...definedOnly(patch.queryLog) };
    if (patch.rateLimits !== undefined) settings.rateLimits = { ...(workspace.settings.rateLimits ?? {}), ...definedOnly(patch.rateLimits) };
    if (patch.clientPolicy !== undefined) settings.clientPolicy = { ...(workspace.settings.clientPolicy ?? {}), ...definedOnly(patch.clientPolicy) };
    if (patch.queryGuard !== undefined) settings.queryGuard = { ...(workspace.settings.queryGuard ?? {}), ...definedOnly(patch.queryGuard) };
    if (patch.membership?.scimGroups !== undefined) settings.membership = { scimGroups: [...new Set(patch.membership.scimGroups.map((g) => g.trim()))].sort() };
    const updated = await this.workspaces.updateSettings(workspace.id, { name: patch.name, settings });
    // Turning the query log off (or shortening it) takes effect on stored queries at once.
    if (patch.queryLog !== undefined) await this.audit.stripExpiredQueries();
    this.events.workspaceChanged(tenant.slug, workspace.slug); // drop cached settings
    // The flagged-documents policy applies to what is stored, before this answers: documents flagged before
    // the switch are held back (or served) like new ones. After the settings, so that uploads from now on
    // follow the new policy themselves; naming the policy again re-applies it (after a failure, say).
    const flaggedDocumentsChanged =
      patch.flaggedDocuments !== undefined ? await this.search.applyFlaggedPolicy(workspace.id, patch.flaggedDocuments === 'quarantine') : undefined;
    // What changed, as stored: a rename and each settings part the PATCH named, merged (no secret is among them).
    const changed = {
      ...(patch.name !== undefined && patch.name !== workspace.name ? { name: { from: workspace.name, to: patch.name } } : {}),
      ...(Object.keys(settings).length > 0 ? { settings } : {}),
    };
    await this.record(actor, tenant, updated, 'workspace.update', { changed, ...(flaggedDocumentsChanged === undefined ? {} : { flaggedDocumentsChanged }) });
    return { tenant, workspace: updated, ...(flaggedDocumentsChanged === undefined ? {} : { flaggedDocumentsChanged }) };
  }

  /** Removes the workspace, its documents and index, its users' memberships and its tokens. */
  async delete(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<void> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    await this.search.dropWorkspace(workspace.id);
    await this.workspaces.delete(tenant.id, workspace.id);
    this.events.workspaceChanged(tenant.slug, workspace.slug);
    await this.record(actor, tenant, workspace, 'workspace.delete');
  }

  private record(actor: Actor, tenant: TenantEntity, workspace: WorkspaceEntity, action: string, details: Record<string, unknown> = {}): Promise<void> {
    return this.audit.append({
      tenantId: tenant.id,
      workspaceId: action === 'workspace.delete' ? null : workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action,
      outcome: 'success',
      details: { workspace: workspace.slug, workspaceId: workspace.id, ...details },
    });
  }
}

/** A partial update keeps what it does not name (DTO instances carry every declared field, unset ones as undefined). */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
