import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { documentActivity } from '../documents/document-statements';
import { readInWorkspace } from '../workspace-scope';

export interface WorkspaceActivity {
  readonly documentCount: number;
  readonly lastWriteAt: Date | null;
  readonly searchesLast24h: number;
}

/** What a tenant admin sees at a glance: how much is indexed, when it last changed, how much it is used. */
@Injectable()
export class WorkspaceActivityRepository {
  constructor(private readonly dataSource: DataSource) {}

  async activity(tenantId: string, workspaceId: string): Promise<WorkspaceActivity> {
    const documents = await readInWorkspace(this.dataSource, workspaceId, (db) => documentActivity(db, workspaceId));
    const [searches]: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_events
        WHERE tenant_id = $1 AND workspace_id = $2 AND action = 'tool.search' AND occurred_at > now() - interval '24 hours'`,
      [tenantId, workspaceId],
    );
    return {
      documentCount: Number(documents?.count ?? 0),
      lastWriteAt: documents?.last_write ? new Date(documents.last_write) : null,
      searchesLast24h: Number(searches?.count ?? 0),
    };
  }
}
