import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded default: PGlite (PostgreSQL compiled to WASM) persisted in DATA_DIR, served over the
 * PostgreSQL wire protocol on a private Unix socket. The application then talks to it with the same
 * `pg` driver it uses for a real server, through a pool of exactly one connection: PGlite has a single
 * session, and a one-connection pool is what keeps concurrent transactions from interleaving in it.
 */
export interface EmbeddedPostgres {
  /** Options for `pg` / TypeORM's postgres driver. */
  readonly connection: { host: string; port: number; username: string; database: string };
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const storeDir = join(dataDir, 'pglite');
  await mkdir(storeDir, { recursive: true });
  const db = await PGlite.create({ dataDir: storeDir });
  // A short, private directory: Unix socket paths are limited to ~100 bytes.
  const socketDir = await mkdtemp(join(tmpdir(), 'tessera-pg-'));
  const port = 5432;
  const server = new PGLiteSocketServer({ db, path: join(socketDir, `.s.PGSQL.${port}`), maxConnections: 1 });
  await server.start();
  return {
    connection: { host: socketDir, port, username: 'postgres', database: 'postgres' },
    async stop() {
      await server.stop();
      await db.close();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
