import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server tests use: this machine's (see README), or TEST_POSTGRES_URL (a superuser, to create databases). */
const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The role the platform connects as in tests: an ordinary role that owns its database, as in
 * production. Not a superuser, so row-level security applies to it (a superuser would bypass it and
 * hide a missing workspace scope).
 */
export const TEST_APP_ROLE = 'tessera_app_test';

export interface TestDatabase {
  /** Connects as TEST_APP_ROLE. */
  readonly url: string;
  /** The same database as the server's superuser, for what an operator does (CHECKPOINT, server statistics). */
  readonly superuserUrl?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file, owned by TEST_APP_ROLE; dropped afterwards. Tests never depend on leftovers. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tessera_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await ensureAppRole(admin);
    await admin.query(`CREATE DATABASE ${name} OWNER ${TEST_APP_ROLE}`);
  } finally {
    await admin.end();
  }
  const superuser = new URL(SERVER_URL);
  superuser.pathname = `/${name}`;
  const url = new URL(superuser);
  url.username = TEST_APP_ROLE;
  url.password = '';
  return {
    url: url.toString(),
    superuserUrl: superuser.toString(),
    async drop() {
      const client = new Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Test files run in parallel: creating the role races, and losing the race is fine. */
async function ensureAppRole(admin: Client): Promise<void> {
  const { rows } = await admin.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [TEST_APP_ROLE]);
  if (rows.length > 0) return;
  try {
    await admin.query(`CREATE ROLE ${TEST_APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== '42710' && code !== '23505') throw error; // duplicate_object, or a concurrent insert into pg_authid
  }
}
