import { MigrationInterface, QueryRunner } from 'typeorm';

/** Storage for the authorization server: oidc-provider's models and the signing keys. */
export class OauthStorage1764345600000 implements MigrationInterface {
  name = 'OauthStorage1764345600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE oidc_models (
        kind text NOT NULL,
        id text NOT NULL,
        payload jsonb NOT NULL,
        grant_id text,
        user_code text,
        uid text,
        expires_at timestamptz,
        consumed_at timestamptz,
        PRIMARY KEY (kind, id)
      )`);
    await q.query(`CREATE INDEX oidc_models_grant_id_idx ON oidc_models (grant_id) WHERE grant_id IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_models_uid_idx ON oidc_models (uid) WHERE uid IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_models_user_code_idx ON oidc_models (user_code) WHERE user_code IS NOT NULL`);
    await q.query(`CREATE INDEX oidc_models_expires_at_idx ON oidc_models (expires_at) WHERE expires_at IS NOT NULL`);
    await q.query(`
      CREATE INDEX oidc_models_grant_owner_idx ON oidc_models ((payload->>'accountId'), (payload->>'clientId'))
      WHERE kind = 'Grant'`);
    await q.query(`
      CREATE TABLE oidc_signing_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL,
        private_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS oidc_signing_keys`);
    await q.query(`DROP TABLE IF EXISTS oidc_models`);
  }
}
