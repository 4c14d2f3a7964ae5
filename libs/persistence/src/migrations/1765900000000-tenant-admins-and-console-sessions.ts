import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant admins (by email, so a federated user can be named before their first sign-in) and the admin
 * console's server-side sessions (the browser holds only an opaque id; its SHA-256 is the key here).
 */
export class TenantAdminsAndConsoleSessions1765900000000 implements MigrationInterface {
  name = 'TenantAdminsAndConsoleSessions1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_admins (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, email)
      )`);
    await q.query(`
      CREATE TABLE console_sessions (
        id_hash text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        access_token_sealed text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS console_sessions`);
    await q.query(`DROP TABLE IF EXISTS tenant_admins`);
  }
}
