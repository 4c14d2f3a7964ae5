import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTenantTransaction } from '../tenant-scope';
import { rowsOf } from './scim-directory.repository';

/** A tenant's SCIM bearer token; only its SHA-256 is stored. */
export interface ScimTokenRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly label: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const COLUMNS = `id, tenant_id AS "tenantId", label, created_at AS "createdAt", revoked_at AS "revokedAt"`;

@Injectable()
export class ScimTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(tenantId: string, tokenHash: string, label: string): Promise<ScimTokenRecord> {
    const rows: ScimTokenRecord[] = await inTenantTransaction(this.dataSource, tenantId, (em) => em.query(
      `INSERT INTO scim_tokens (tenant_id, token_hash, label) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [tenantId, tokenHash, label],
    ));
    return rows[0]!;
  }

  /**
   * The tenant whose unrevoked token has this hash, if any: the one read outside a tenant scope, which
   * row security allows only to a statement presenting the hash (migration 1766100000000).
   */
  async findActiveByHash(tokenHash: string): Promise<ScimTokenRecord | null> {
    const rows: ScimTokenRecord[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM tessera_active_scim_token($1)`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  list(tenantId: string): Promise<ScimTokenRecord[]> {
    return inTenantTransaction(this.dataSource, tenantId, (em) => em.query(`SELECT ${COLUMNS} FROM scim_tokens WHERE tenant_id = $1 ORDER BY created_at DESC, id`, [tenantId]));
  }

  /** Returns the revoked token's hash, or null when the tenant has no active token with that id. */
  async revoke(tenantId: string, id: string): Promise<string | null> {
    const rows = rowsOf<{ token_hash: string }>(await inTenantTransaction(this.dataSource, tenantId, (em) => em.query(
      `UPDATE scim_tokens SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING token_hash`,
      [tenantId, id],
    )));
    return rows[0]?.token_hash ?? null;
  }
}
