/**
 * Migrations under a PostgreSQL advisory lock: two migrators started together (two helm upgrades, a retried
 * Job beside a slow one) take turns, so every migration is applied exactly once and neither fails; a migrator
 * that finds the lock held waits for it and says so.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from '@jest/globals';
import { Client } from 'pg';
import { MIGRATION_LOCK_KEY, MIGRATIONS, openDatabase, runMigrationsExclusively } from '@tessera/persistence';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const ROOT = join(__dirname, '..', '..');

/** Runs the real migrate CLI (as the chart's Job does) and collects its output. */
function migrateCli(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'libs/persistence/src/cli/migrate.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: tmpdir(), NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id');
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/** Resolves once some session waits for the migration lock (an observed state, not a guessed delay). */
async function someoneWaitsForTheLock(client: Client): Promise<void> {
  for (;;) {
    const { rows } = await client.query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('migrations under the advisory lock (PostgreSQL)', () => {
  let testDb: TestDatabase | undefined;
  afterEach(async () => {
    await testDb?.drop();
    testDb = undefined;
  });

  it('two migrate CLIs started together on an empty database both succeed and apply every migration once', async () => {
    testDb = await createTestDatabase();
    const runs = await Promise.all([migrateCli(testDb.url), migrateCli(testDb.url)]);
    for (const run of runs) assert.equal(run.code, 0, run.output);
    const outputs = runs.map((r) => r.output);
    assert.equal(outputs.filter((o) => /^applied /m.test(o)).length, 1, outputs.join('\n---\n'));
    assert.equal(outputs.filter((o) => /database is up to date/.test(o)).length, 1, outputs.join('\n---\n'));
    const applied = await appliedMigrations(testDb.url);
    assert.equal(applied.length, MIGRATIONS.length);
    assert.equal(new Set(applied).size, applied.length, 'no migration recorded twice');
  });

  it('waits while another session holds the lock, applies nothing meanwhile, then migrates', async () => {
    testDb = await createTestDatabase();
    const holder = new Client({ connectionString: testDb.url });
    await holder.connect();
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir() });
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let waited = 0;
      const migrating = runMigrationsExclusively(database.dataSource, { onWaiting: () => waited++ });
      await someoneWaitsForTheLock(holder);
      assert.equal(waited, 1);
      const { rows } = await holder.query(`SELECT to_regclass('schema_migrations') AS present`);
      assert.equal(rows[0].present, null, 'nothing was migrated while the lock was held');
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      const applied = await migrating;
      assert.equal(applied.length, MIGRATIONS.length);
      // This database's locks only: other test files' databases on the same server take advisory locks too.
      const { rows: locks } = await holder.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      assert.deepEqual(locks, [], 'the lock is released afterwards');
    } finally {
      await database.close();
      await holder.end();
    }
  });

  it('releases the lock when a migration fails, so the next migrator is not blocked', async () => {
    testDb = await createTestDatabase();
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir() });
    const holder = new Client({ connectionString: testDb.url });
    await holder.connect();
    try {
      // A table the first migration wants to create already exists: that migration fails.
      await holder.query('CREATE TABLE tenants (id int)');
      await assert.rejects(runMigrationsExclusively(database.dataSource));
      const { rows } = await holder.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
      assert.equal(rows[0].locked, true, 'the failed migrator let go of the lock');
    } finally {
      await holder.end();
      await database.close();
    }
  });
});
