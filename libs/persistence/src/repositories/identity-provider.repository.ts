import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface IdentityProviderRecord {
  readonly tenantId: string;
  readonly issuer: string;
  readonly clientId: string;
  /** The client secret, sealed with the platform's encryption key; never returned by the API. */
  readonly clientSecretSealed: string;
  readonly groupsClaim: string;
  readonly displayName: string;
  readonly autoProvision: boolean;
}

@Injectable()
export class IdentityProviderRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(record: IdentityProviderRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO tenant_identity_providers (tenant_id, issuer, client_id, client_secret_sealed, groups_claim, display_name, auto_provision)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
         client_secret_sealed = EXCLUDED.client_secret_sealed, groups_claim = EXCLUDED.groups_claim,
         display_name = EXCLUDED.display_name, auto_provision = EXCLUDED.auto_provision, updated_at = now()`,
      [record.tenantId, record.issuer, record.clientId, record.clientSecretSealed, record.groupsClaim, record.displayName, record.autoProvision],
    );
  }

  async findByTenant(tenantId: string): Promise<IdentityProviderRecord | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(`SELECT * FROM tenant_identity_providers WHERE tenant_id = $1`, [tenantId]);
    const row = rows[0];
    if (!row) return null;
    return {
      tenantId: row.tenant_id as string,
      issuer: row.issuer as string,
      clientId: row.client_id as string,
      clientSecretSealed: row.client_secret_sealed as string,
      groupsClaim: row.groups_claim as string,
      displayName: row.display_name as string,
      autoProvision: row.auto_provision as boolean,
    };
  }

  async delete(tenantId: string): Promise<boolean> {
    const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM tenant_identity_providers WHERE tenant_id = $1`, [tenantId]);
    return count > 0;
  }
}
