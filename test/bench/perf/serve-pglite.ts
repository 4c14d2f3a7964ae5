/**
 * Child process for the embedded backend's ingestion floor: a fresh PGlite served over the wire
 * protocol exactly as the platform's embedded default serves its own, so that the plain INSERT
 * floor and the product cross the same socket into the same engine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../../libs/persistence/src/embedded/embedded-postgres';
import { runChild } from './child-ipc';

runChild(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-floor-'));
  const embedded = await startEmbeddedPostgres(dataDir);
  const { host, port, username, database } = embedded.connection;
  return {
    url: `postgres://${username}@/${database}?host=${encodeURIComponent(host)}&port=${port}`,
    info: { pid: process.pid, connection: embedded.connection },
    async close() {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
