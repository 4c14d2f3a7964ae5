import { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel on which a tenant's directory (people, groups, memberships) announces a change. */
export const DIRECTORY_CHANGE_CHANNEL = 'tessera_directory_changed';

/** Tables whose rows decide who is a member of a workspace and with which groups. */
const DIRECTORY_TABLES = ['users', 'workspace_members', 'scim_groups', 'scim_group_members'];

/**
 * SCIM 2.0 provisioning (RFC 7643/7644) for each tenant's directory:
 * - users gain `active` (deactivated users cannot sign in or call anything), `external_id`, the SCIM
 *   attributes the IdP sent (`scim`: name, emails, displayName…) and a `version` for ETags;
 * - `scim_groups` and `scim_group_members`: the tenant's groups; their names are the `groups` that document
 *   ACLs and tokens name, and workspace membership rules (`settings.membership.scimGroups`) refer to;
 * - `scim_tokens`: the bearer tokens a tenant admin issues for its IdP (only their SHA-256 is stored).
 *
 * Every committed change of those tables, and of a workspace's settings, is announced on
 * DIRECTORY_CHANGE_CHANNEL with the tenant id as payload, so that gateways holding a caller's current
 * groups in memory learn of it at commit (PostgreSQL delivers notifications only for committed
 * transactions, in commit order, and folds duplicates within one transaction).
 */
export class ScimDirectory1765800000000 implements MigrationInterface {
  name = 'ScimDirectory1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN active boolean NOT NULL DEFAULT true,
        ADD COLUMN external_id text,
        ADD COLUMN scim jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX users_tenant_external_id_idx ON users (tenant_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE scim_groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        display_name text NOT NULL,
        external_id text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, display_name)
      )`);
    await q.query(`
      CREATE TABLE scim_group_members (
        group_id uuid NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`CREATE INDEX scim_group_members_user_idx ON scim_group_members (user_id)`);
    await q.query(`
      CREATE TABLE scim_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX scim_tokens_tenant_idx ON scim_tokens (tenant_id)`);
    await q.query(`
      CREATE FUNCTION tessera_announce_directory_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        row_tenant uuid;
      BEGIN
        IF TG_TABLE_NAME = 'workspace_members' THEN
          SELECT w.tenant_id INTO row_tenant FROM workspaces w
           WHERE w.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.workspace_id ELSE NEW.workspace_id END;
        ELSIF TG_OP = 'DELETE' THEN
          row_tenant := OLD.tenant_id;
        ELSE
          row_tenant := NEW.tenant_id;
        END IF;
        IF row_tenant IS NOT NULL THEN
          PERFORM pg_notify('${DIRECTORY_CHANGE_CHANNEL}', row_tenant::text);
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of DIRECTORY_TABLES) {
      await q.query(`
        CREATE TRIGGER ${table}_announce_directory_change
          AFTER INSERT OR UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION tessera_announce_directory_change()`);
    }
    // A membership rule lives in the workspace's settings.
    await q.query(`
      CREATE TRIGGER workspaces_announce_directory_change
        AFTER UPDATE OF settings OR DELETE ON workspaces
        FOR EACH ROW EXECUTE FUNCTION tessera_announce_directory_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS workspaces_announce_directory_change ON workspaces`);
    for (const table of DIRECTORY_TABLES) await q.query(`DROP TRIGGER IF EXISTS ${table}_announce_directory_change ON ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS tessera_announce_directory_change()`);
    await q.query(`DROP TABLE IF EXISTS scim_tokens`);
    await q.query(`DROP TABLE IF EXISTS scim_group_members`);
    await q.query(`DROP TABLE IF EXISTS scim_groups`);
    await q.query(`DROP INDEX IF EXISTS users_tenant_external_id_idx`);
    await q.query(`ALTER TABLE users DROP COLUMN updated_at, DROP COLUMN version, DROP COLUMN scim, DROP COLUMN external_id, DROP COLUMN active`);
  }
}
