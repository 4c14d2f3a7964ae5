import type { DataSource, Migration } from 'typeorm';
import { MigrationExecutor } from 'typeorm';

/**
 * The session-level advisory lock every migrator takes first (an arbitrary constant: "tessera migrations").
 * Two migration Jobs, a Job and an app started with `migrate: true`, or two helm upgrades racing each other
 * then apply migrations one after the other instead of both running the same DDL.
 */
export const MIGRATION_LOCK_KEY = 7_361_842_015;

export interface MigrationRunOptions {
  /** Called once if another migrator holds the lock, before waiting for it. */
  readonly onWaiting?: () => void;
}

/**
 * Applies pending migrations (each in its own transaction) while holding the migration lock, on one
 * session: the lock and the DDL share a connection, so this also works with a pool of one (PGlite).
 * Waits as long as another migrator holds the lock; the chart's Job deadline bounds the wait.
 */
export async function runMigrationsExclusively(dataSource: DataSource, options: MigrationRunOptions = {}): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY])) as Array<{ locked: boolean }>;
    if (!locked) {
      options.onWaiting?.();
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
