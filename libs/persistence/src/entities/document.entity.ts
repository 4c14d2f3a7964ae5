import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The source of truth for a workspace's documents; search indexes are derived from it. */
@Entity({ name: 'documents' })
@Index(['workspaceId', 'externalId'], { unique: true })
export class DocumentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  pk!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'jsonb', default: {} })
  metadata!: Record<string, unknown>;

  @Column({ name: 'acl_users', type: 'text', array: true, default: '{}' })
  aclUsers!: string[];

  @Column({ name: 'acl_groups', type: 'text', array: true, default: '{}' })
  aclGroups!: string[];

  @Column({ name: 'content_hash', type: 'text' })
  contentHash!: string;

  @Column({ name: 'title_length', type: 'integer' })
  titleLength!: number;

  @Column({ name: 'body_length', type: 'integer' })
  bodyLength!: number;

  /** Postings written with the document (distinct terms); NULL when not known. */
  @Column({ name: 'term_count', type: 'integer', nullable: true })
  termCount!: number | null;

  /** The posting block (posting_blocks.block) its postings were written in; NULL: written before blocks (migration 1765500000000). */
  @Column({ name: 'posting_block', type: 'bigint', nullable: true })
  postingBlock!: string | null;

  /** Hygiene findings, e.g. instruction:override. */
  @Column({ type: 'text', array: true, default: '{}' })
  flags!: string[];

  /** Held back from search and fetch until a tenant admin releases it. */
  @Column({ type: 'boolean', default: false })
  quarantined!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
