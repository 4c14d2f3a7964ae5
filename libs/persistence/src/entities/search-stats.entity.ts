import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-workspace collection statistics for BM25, kept up to date in the same transaction as postings. */
@Entity({ name: 'workspace_search_stats' })
export class WorkspaceSearchStatsEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'doc_count', type: 'bigint', default: 0 })
  docCount!: string;

  @Column({ name: 'total_title_length', type: 'bigint', default: 0 })
  totalTitleLength!: string;

  @Column({ name: 'total_body_length', type: 'bigint', default: 0 })
  totalBodyLength!: string;
}
