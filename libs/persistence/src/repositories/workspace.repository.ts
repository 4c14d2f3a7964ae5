import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_WORKSPACE_SETTINGS, WorkspaceContext } from '@tessera/domain';
import { WorkspaceEntity } from '../entities';
import { enterWorkspace, lockWorkspaceIndexExclusively } from '../workspace-scope';
import { isUniqueViolation } from './tenant.repository';

@Injectable()
export class WorkspaceRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(WorkspaceEntity);
  }

  /** Returns null when the tenant already has a workspace with that slug. */
  async create(tenantId: string, input: { slug: string; name: string }): Promise<WorkspaceEntity | null> {
    try {
      return await this.repo.save(this.repo.create({ tenantId, ...input, settings: {} }));
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  findBySlug(tenantId: string, slug: string): Promise<WorkspaceEntity | null> {
    return this.repo.findOneBy({ tenantId, slug });
  }

  /** Merges these settings into the workspace's; returns the updated workspace. */
  async updateSettings(workspaceId: string, patch: { name?: string; settings?: Record<string, unknown> }): Promise<WorkspaceEntity> {
    const workspace = await this.repo.findOneByOrFail({ id: workspaceId });
    if (patch.name !== undefined) workspace.name = patch.name;
    if (patch.settings) workspace.settings = { ...workspace.settings, ...patch.settings };
    return this.repo.save(workspace);
  }

  listByTenant(tenantId: string): Promise<WorkspaceEntity[]> {
    return this.repo.find({ where: { tenantId }, order: { slug: 'ASC' } });
  }

  /** Deletes the workspace with its documents, postings, tokens and memberships, atomically. */
  async delete(tenantId: string, workspaceId: string): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      // Postings have no foreign key (see the initial schema); documents and statistics cascade.
      await enterWorkspace(em, workspaceId);
      await lockWorkspaceIndexExclusively(em, workspaceId);
      await em.query(`DELETE FROM posting_blocks WHERE workspace_id = $1`, [workspaceId]);
      const result = await em.delete(WorkspaceEntity, { id: workspaceId, tenantId });
      return (result.affected ?? 0) > 0;
    });
  }

  /** Resolves a connector path's slugs to everything a request needs, in one round trip. */
  async findContext(tenantSlug: string, workspaceSlug: string): Promise<WorkspaceContext | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT w.id AS workspace_id, w.slug AS workspace_slug, w.name AS workspace_name, w.settings,
              t.id AS tenant_id, t.slug AS tenant_slug, t.name AS tenant_name
         FROM workspaces w JOIN tenants t ON t.id = w.tenant_id
        WHERE t.slug = $1 AND w.slug = $2`,
      [tenantSlug, workspaceSlug],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      workspaceId: row.workspace_id as string,
      workspaceSlug: row.workspace_slug as string,
      workspaceName: row.workspace_name as string,
      tenantId: row.tenant_id as string,
      tenantSlug: row.tenant_slug as string,
      tenantName: row.tenant_name as string,
      settings: { ...DEFAULT_WORKSPACE_SETTINGS, ...(row.settings as object) },
    };
  }
}
