import { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant's own OpenID Connect identity provider, for federated sign-in. */
export class TenantIdentityProviders1764432000000 implements MigrationInterface {
  name = 'TenantIdentityProviders1764432000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_identity_providers (
        tenant_id uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_secret_sealed text NOT NULL,
        groups_claim text NOT NULL DEFAULT 'groups',
        display_name text NOT NULL,
        auto_provision boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS tenant_identity_providers`);
  }
}
