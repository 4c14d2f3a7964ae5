import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['scim_groups', 'scim_group_members', 'scim_tokens'];
const CURRENT_TENANT = `NULLIF(current_setting('tessera.tenant_id', true), '')::uuid`;

/** Opens the tenant scope inside a function, as the workspace functions of 1765209600000 open theirs. */
const TENANT_SCOPE = `
        IF NULLIF(current_setting('tessera.tenant_id', true), '') IS DISTINCT FROM NULL
           AND current_setting('tessera.tenant_id', true) <> tenant::text THEN
          RAISE EXCEPTION 'this transaction is scoped to another tenant' USING ERRCODE = 'insufficient_privilege';
        END IF;
        PERFORM set_config('tessera.tenant_id', tenant::text, true);`;

/**
 * The SCIM directory (migration 1765800000000) is tenant data, so it gets the tenant-scoped twin of the
 * workspace policy (1765123200000): its rows are visible and writable only inside a transaction that
 * named their tenant with `set_config('tessera.tenant_id', …, true)` (libs/persistence/src/tenant-scope.ts).
 *
 * A SCIM request names its tenant only through its bearer token, so a token row is also readable by a
 * statement that presents the token's hash (`tessera.scim_token_hash`, set by tessera_active_scim_token):
 * knowing the hash is knowing the token. The hot reads that need the directory are functions that open
 * the scope themselves (one round trip), SECURITY INVOKER so that the policies still apply to them.
 */
export class ScimRowSecurity1766100000000 implements MigrationInterface {
  name = 'ScimRowSecurity1766100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_tenant_scope ON ${table}
          USING (tenant_id = ${CURRENT_TENANT})
          WITH CHECK (tenant_id = ${CURRENT_TENANT})`);
    }
    await q.query(`
      CREATE POLICY scim_tokens_presented ON scim_tokens FOR SELECT
        USING (token_hash = NULLIF(current_setting('tessera.scim_token_hash', true), ''))`);
    await q.query(`
      CREATE FUNCTION tessera_active_scim_token(presented_hash text)
      RETURNS SETOF scim_tokens LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM set_config('tessera.scim_token_hash', presented_hash, true);
        RETURN QUERY SELECT t.* FROM scim_tokens t WHERE t.token_hash = presented_hash AND t.revoked_at IS NULL;
        PERFORM set_config('tessera.scim_token_hash', '', true);
      END $$`);
    // The names of the SCIM groups a user of the tenant is in.
    await q.query(`
      CREATE FUNCTION tessera_scim_groups_of(tenant uuid, member uuid)
      RETURNS text[] LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        ${TENANT_SCOPE}
        RETURN ARRAY(SELECT g.display_name FROM scim_group_members sm JOIN scim_groups g ON g.id = sm.group_id
                      WHERE sm.tenant_id = tenant AND sm.user_id = member ORDER BY g.display_name);
      END $$`);
    // Which of these names are SCIM groups of the tenant.
    await q.query(`
      CREATE FUNCTION tessera_scim_group_names(tenant uuid, names text[])
      RETURNS text[] LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        ${TENANT_SCOPE}
        RETURN ARRAY(SELECT g.display_name FROM scim_groups g WHERE g.tenant_id = tenant AND g.display_name = ANY(names) ORDER BY 1);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS tessera_scim_group_names(uuid, text[])`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_scim_groups_of(uuid, uuid)`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_active_scim_token(text)`);
    await q.query(`DROP POLICY IF EXISTS scim_tokens_presented ON scim_tokens`);
    for (const table of TABLES) {
      await q.query(`DROP POLICY IF EXISTS ${table}_tenant_scope ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
