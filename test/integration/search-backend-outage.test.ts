/**
 * The database dies in the middle of a `documents:bulk`: the PostgreSQL backend raises the one
 * UnavailableError, the bulk reports exactly the lines that were stored (and marks the rest
 * unavailable without trying each one), and a bulk that stored nothing is flagged for 503 with
 * Retry-After. PGlite is really stopped; the shared PostgreSQL server cannot be, so a TCP proxy in
 * front of it is cut (connections reset, new ones refused), which is what the platform sees of a
 * dead server. The tenant API's access check and audit log are stand-ins (the service is driven
 * directly); the backend, the database and the metrics are real.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode, UnavailableError } from '@tessera/domain';
import { TesseraMetrics } from '@tessera/observability';
import { openDatabase, type AuditRepository, type Database } from '@tessera/persistence';
import { PostgresSearchBackend } from '@tessera/search';
import { DocumentsService } from '../../apps/tenant-api/src/documents/documents.service';
import type { TenantAccessService } from '../../apps/tenant-api/src/api-auth/tenant-access.service';
import { startEmbeddedPostgres } from '../../libs/persistence/src/embedded/embedded-postgres';
import { insertWorkspace } from '../support/database-harness';
import { createTestDatabase } from '../support/postgres';

interface Dying {
  database: Database;
  kill(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy to `target`; `cut` resets every connection and refuses new ones. */
async function proxyTo(target: { host: string; port: number }): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.resetAndDestroy();
      await closed;
    },
  };
}

async function postgresBehindProxy(): Promise<Dying> {
  const testDb = await createTestDatabase();
  const url = new URL(testDb.url);
  const proxy = await proxyTo({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: tmpdir(), migrate: true, poolSize: 4 });
  return {
    database,
    kill: () => proxy.cut(),
    close: async () => {
      await database.close().catch(() => undefined);
      await testDb.drop();
    },
  };
}

async function pgliteToStop(): Promise<Dying> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-outage-'));
  const embedded = await startEmbeddedPostgres(dataDir);
  const { host, port, username, database: name } = embedded.connection;
  const databaseUrl = `postgresql://${username}@localhost/${name}?host=${encodeURIComponent(host)}&port=${port}`;
  const database = await openDatabase({ databaseUrl, dataDir, migrate: true, poolSize: 1 });
  let stopped = false;
  return {
    database,
    kill: async () => {
      stopped = true;
      await embedded.stop();
    },
    close: async () => {
      await database.close().catch(() => undefined);
      if (!stopped) await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const line = (i: number) => JSON.stringify({ id: `doc-${i}`, title: `Report ${i}`, text: `Quarterly report number ${i}.` });

for (const [kind, open] of [
  ['PostgreSQL', postgresBehindProxy],
  ['PGlite', pgliteToStop],
] as const) {
  describe(`documents:bulk when the database dies mid-request (${kind})`, () => {
    it('stores the first chunk, reports exactly those lines stored and the rest unavailable, and flags a bulk that stored nothing', async () => {
      const dying = await open();
      try {
        const { database } = dying;
        const ws = await insertWorkspace(database);
        const backend = new PostgresSearchBackend(database.dataSource, { listenForChanges: false });
        const workspace = { id: ws, settings: {} };
        const access = { requireWorkspace: async () => ({ tenant: { id: 'tenant' }, workspace }) } as unknown as TenantAccessService;
        const audit = { append: async () => undefined } as unknown as AuditRepository;
        const service = new DocumentsService(access, audit, backend, TesseraMetrics.create({ defaultMetrics: false }), {} as never /* no sync run named */);
        const actor = { kind: 'tenant', tenantId: 'tenant' } as never;

        let killed = false;
        async function* body() {
          for (let i = 1; i <= 250; i++) {
            // Line 101 is asked for once the first chunk (lines 1–100) has been written: the database dies then.
            if (i === 101) {
              await dying.kill();
              killed = true;
            }
            yield `${line(i)}\n`;
          }
        }
        const partial = await service.bulk(actor, 't', 'w', body());
        assert.equal(killed, true);
        assert.equal(partial.unavailable, undefined, 'some lines were stored: not a 503');
        expect(partial.summary).toStrictEqual({ received: 250, created: 100, updated: 0, unchanged: 0, deleted: 0, failed: 150 });
        partial.results.forEach((result, i) => {
          assert.equal(result.line, i + 1);
          if (i < 100) assert.equal(result.status, 'created');
          else assert.deepEqual([result.status, result.error?.code], ['failed', ErrorCode.Unavailable], `line ${i + 1}`);
        });

        const nothing = await service.bulk(actor, 't', 'w', [`${line(300)}\n`, `${line(301)}\n`, 'not json\n']);
        assert.equal(nothing.unavailable, true, 'nothing stored: 503 with Retry-After');
        expect(nothing.results.map((r) => r.error?.code)).toStrictEqual([ErrorCode.Unavailable, ErrorCode.Unavailable, ErrorCode.ValidationFailed]);

        for (const attempt of [
          () => backend.upsert(ws, []).then(() => backend.delete(ws, 'doc-1')),
          () => backend.search(ws, { query: 'quarterly report', reader: { identifiers: [], groups: [] }, limit: 5 }),
          () => backend.get(ws, 'doc-1'),
          () => backend.ping(),
        ]) {
          await assert.rejects(attempt(), (error: unknown) => error instanceof UnavailableError && error.code === ErrorCode.Unavailable);
        }
      } finally {
        await dying.close();
      }
    });
  });
}
