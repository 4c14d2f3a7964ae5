import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded/embedded-postgres';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { runMigrationsExclusively } from './migration-lock';
import { closeChannelsOf } from './notification-channel';
import { rowSecurityBypassed } from './workspace-scope';

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, the embedded PGlite in `dataDir` is used. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly poolSize?: number;
  /** Run pending migrations on open (the embedded default and tests do; production runs a Job). */
  readonly migrate?: boolean;
}

export interface Database {
  readonly dataSource: DataSource;
  readonly embedded: boolean;
  close(): Promise<void>;
}

/** The role the embedded database's single session acts as once migrated (PGlite's own user is a superuser). */
export const EMBEDDED_APPLICATION_ROLE = 'tessera_app';

/**
 * Row-level security never applies to superusers, and PGlite's only user is one: the embedded session
 * switches to an ordinary role with the privileges the platform needs, so the embedded default
 * enforces workspace isolation exactly as a server does.
 */
async function actAsApplicationRole(dataSource: DataSource, embedded: EmbeddedPostgres): Promise<void> {
  const role = EMBEDDED_APPLICATION_ROLE;
  await dataSource.query(`DO $$ BEGIN CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  await dataSource.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await dataSource.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await dataSource.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await dataSource.query(`SET ROLE ${role}`);
  // The connection the pool opens next resets the session, then takes the role again.
  embedded.actAs(role);
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  const connection = options.databaseUrl
    ? { url: options.databaseUrl, extra: { max: options.poolSize ?? 10 } }
    : await (async () => {
        embedded = await startEmbeddedPostgres(options.dataDir);
        return { ...embedded.connection, extra: embedded.pool };
      })();
  const dataSource = new DataSource({
    type: 'postgres',
    ...connection,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
  });
  try {
    await dataSource.initialize();
    if (options.migrate) await runMigrationsExclusively(dataSource);
    if (embedded) await actAsApplicationRole(dataSource, embedded);
    else if (await rowSecurityBypassed(dataSource)) {
      new Logger('Database').warn(
        'the database role is a superuser or has BYPASSRLS: workspace row-level security is not enforced for it; connect as an ordinary role that owns the schema',
      );
    }
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    embedded: !!embedded,
    async close() {
      await closeChannelsOf(dataSource);
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
