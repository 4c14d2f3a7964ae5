import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The embedded default: PGlite (PostgreSQL compiled to WASM) persisted in DATA_DIR, served over the
 * PostgreSQL wire protocol on a private Unix socket. The application then talks to it with the same
 * `pg` driver it uses for a real server, through a pool of exactly one connection: PGlite has a single
 * session, and a one-connection pool is what keeps concurrent transactions from interleaving in it.
 *
 * That single session outlives every socket connection to it: what a connection leaves behind (named
 * prepared statements, SET ROLE, settings, LISTENs) is still there when the pool opens the next one,
 * while the new `pg` client believes it starts afresh and prepares its statements again ("prepared
 * statement … already exists", for good). So every new connection first resets the session to what a
 * fresh server connection would be (DISCARD ALL) and then takes the application's role again. The pool
 * also never closes its connection for idleness (nothing to save on a local socket), but correctness
 * does not rest on that: a connection is still replaced after an error, and the reset covers it.
 */
export interface EmbeddedPostgres {
  /** Options for `pg` / TypeORM's postgres driver. */
  readonly connection: { host: string; port: number; username: string; database: string };
  /** `pg` pool options (TypeORM's `extra`) that keep the session right across connections. */
  readonly pool: EmbeddedPoolOptions;
  /** From now on every new connection acts as `role` (an ordinary role the migrations' grants apply to). */
  actAs(role: string): void;
  stop(): Promise<void>;
}

export interface EmbeddedPoolOptions {
  readonly max: 1;
  /** 0: the pool never closes its one connection for being idle. */
  readonly idleTimeoutMillis: 0;
  /** pg-pool runs it on every new connection before lending it; if it fails, the connection is closed and the caller gets the error. */
  readonly onConnect: (client: SessionClient) => Promise<void>;
}

interface SessionClient {
  query(text: string): Promise<unknown>;
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
  // Two sockets, though the pool lends one connection: when the pool replaces its connection, the new one
  // may knock before the server has seen the old one close, and a full server refuses it (EPIPE).
  const server = new PGLiteSocketServer({ db, path: join(socketDir, `.s.PGSQL.${port}`), maxConnections: 2 });
  await server.start();
  let role: string | undefined;
  return {
    connection: { host: socketDir, port, username: 'postgres', database: 'postgres' },
    pool: {
      max: 1,
      idleTimeoutMillis: 0,
      async onConnect(client) {
        // Each its own statement: DISCARD ALL refuses to run inside a multi-statement (implicit) transaction.
        await client.query('DISCARD ALL');
        if (role) await client.query(`SET ROLE ${role}`);
      },
    },
    actAs(next) {
      if (!/^[a-z_][a-z0-9_]*$/.test(next)) throw new Error(`not a role name: ${next}`);
      role = next;
    },
    async stop() {
      await server.stop();
      await db.close();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
