import { DataSource } from 'typeorm';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded/embedded-postgres';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

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

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  const connection = options.databaseUrl
    ? { url: options.databaseUrl, extra: { max: options.poolSize ?? 10 } }
    : await (async () => {
        embedded = await startEmbeddedPostgres(options.dataDir);
        return { ...embedded.connection, extra: { max: 1 } };
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
    if (options.migrate) await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    embedded: !!embedded,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
