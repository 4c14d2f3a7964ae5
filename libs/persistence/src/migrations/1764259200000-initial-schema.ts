import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764259200000 implements MigrationInterface {
  name = 'InitialSchema1764259200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        api_key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE workspaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        slug text NOT NULL,
        name text NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, slug)
      )`);
    await q.query(`
      CREATE TABLE documents (
        pk bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        title text NOT NULL,
        text text NOT NULL,
        url text,
        metadata jsonb NOT NULL DEFAULT '{}',
        acl_users text[] NOT NULL DEFAULT '{}',
        acl_groups text[] NOT NULL DEFAULT '{}',
        content_hash text NOT NULL,
        title_length integer NOT NULL,
        body_length integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, external_id)
      )`);
    // No foreign keys on postings: they are written by the thousand per document, and the search
    // backend keeps them consistent with documents inside the same transaction.
    await q.query(`
      CREATE TABLE postings (
        workspace_id uuid NOT NULL,
        term text NOT NULL,
        doc_pk bigint NOT NULL,
        tf_title smallint NOT NULL,
        tf_body integer NOT NULL,
        title_length integer NOT NULL,
        body_length integer NOT NULL,
        PRIMARY KEY (workspace_id, term, doc_pk)
      )`);
    await q.query(`CREATE INDEX postings_doc_pk_idx ON postings (doc_pk)`);
    await q.query(`
      CREATE TABLE workspace_search_stats (
        workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
        doc_count bigint NOT NULL DEFAULT 0,
        total_title_length bigint NOT NULL DEFAULT 0,
        total_body_length bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL,
        password_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, email)
      )`);
    await q.query(`
      CREATE TABLE workspace_members (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        groups text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE workspace_access_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        subject text NOT NULL,
        groups text[] NOT NULL DEFAULT '{}',
        scopes text[] NOT NULL DEFAULT '{}',
        expires_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX workspace_access_tokens_workspace_idx ON workspace_access_tokens (workspace_id)`);
    await q.query(`
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        tenant_id uuid,
        workspace_id uuid,
        actor_kind text NOT NULL,
        actor_id text NOT NULL,
        action text NOT NULL,
        outcome text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX audit_events_tenant_time_idx ON audit_events (tenant_id, occurred_at)`);
    await q.query(`
      CREATE TABLE platform_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'platform_settings',
      'audit_events',
      'workspace_access_tokens',
      'workspace_members',
      'users',
      'workspace_search_stats',
      'postings',
      'documents',
      'workspaces',
      'tenants',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
