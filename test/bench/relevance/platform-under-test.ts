import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { startPlatform, type RunningPlatform } from '../../../apps/standalone/src/platform';
import { freePort, readBody } from '../../support/platform';

export type BenchDatabase = { kind: 'postgres'; serverUrl: string } | { kind: 'pglite' };

export interface PlatformUnderTest {
  readonly platform: RunningPlatform;
  readonly baseUrl: string;
  /** Where the data lives, for the report (scratch database name or PGlite directory). */
  readonly location: string;
  api(method: string, path: string, body?: string | object, contentType?: string): Promise<{ status: number; text: string; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}


/** A scratch database on the given server, dropped on close: the bench never touches existing data. */
async function createScratchDatabase(serverUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `tessera_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new PgClient({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new PgClient({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Boots the whole platform in this process, as `npm start` does, on a fresh database of the given kind. */
export async function startPlatformUnderTest(database: BenchDatabase, extraEnv: Record<string, string> = {}): Promise<PlatformUnderTest> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  const scratch = database.kind === 'postgres' ? await createScratchDatabase(database.serverUrl) : undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      TESSERA_SEED_DEMO: 'false',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
      ...extraEnv,
    });
  } catch (error) {
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    platform,
    baseUrl,
    location: scratch ? `scratch database ${scratch.name}` : `PGlite in ${dataDir}`,
    async api(method, path, body, contentType = 'application/json') {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${platform.adminToken}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, ...(await readBody(response)) };
    },
    async close() {
      try {
        await platform.close();
      } finally {
        await scratch?.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
