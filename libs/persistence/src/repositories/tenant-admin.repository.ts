import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface TenantAdminRow {
  readonly email: string;
  readonly createdAt: Date;
}

/** Who may administer a tenant besides its API key: users named by (normalized) email. */
@Injectable()
export class TenantAdminRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns whether the admin was new. */
  async add(tenantId: string, email: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO tenant_admins (tenant_id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING email`,
      [tenantId, email],
    );
    return rows.length > 0;
  }

  async remove(tenantId: string, email: string): Promise<boolean> {
    const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM tenant_admins WHERE tenant_id = $1 AND email = $2`, [tenantId, email]);
    return count > 0;
  }

  async list(tenantId: string): Promise<TenantAdminRow[]> {
    const rows: Array<{ email: string; created_at: Date }> = await this.dataSource.query(
      `SELECT email, created_at FROM tenant_admins WHERE tenant_id = $1 ORDER BY email`,
      [tenantId],
    );
    return rows.map((r) => ({ email: r.email, createdAt: new Date(r.created_at) }));
  }

  async isAdmin(tenantId: string, email: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM tenant_admins WHERE tenant_id = $1 AND email = $2`, [tenantId, email]);
    return rows.length > 0;
  }
}
