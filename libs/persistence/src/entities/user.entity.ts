import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A person of a tenant; workspace membership (and groups there) lives in WorkspaceMemberEntity. */
@Entity({ name: 'users' })
@Index(['tenantId', 'email'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  /** argon2id; null for users who only sign in through the tenant's IdP. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  /** False once the tenant's IdP deactivated them (SCIM): they can neither sign in nor call anything. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The IdP's own id for the user (SCIM `externalId`). */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  /** SCIM attributes as the IdP sent them (name, emails, displayName…), returned as they came. */
  @Column({ type: 'jsonb', default: {} })
  scim!: Record<string, unknown>;

  /** Raised by every SCIM change: the resource's `meta.version` (ETag). */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
