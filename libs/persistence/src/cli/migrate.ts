/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR)
 * and exits. The Helm chart runs it as a pre-install/pre-upgrade Job. Concurrent runs (two upgrades, a
 * retried Job) take turns on a PostgreSQL advisory lock rather than running the same DDL twice.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { openDatabase } from '../data-source.factory';
import { runMigrationsExclusively } from '../migration-lock';

async function main(): Promise<void> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: resolve(process.env.DATA_DIR ?? '.data') });
  try {
    const applied = await runMigrationsExclusively(database.dataSource, {
      onWaiting: () => console.log('another migration holds the migration lock; waiting for it'),
    });
    console.log(applied.length ? `applied ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
