import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '../../apps/standalone/src/platform';
import type { DatabaseKind } from './database-harness';
import { createTestDatabase } from './postgres';

export interface TestPlatform {
  readonly platform: RunningPlatform;
  readonly baseUrl: string;
  readonly adminToken: string;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly port: number;
  /** Stops the platform but keeps its database and data directory, to start it again (a restart). */
  stopKeepingData(): Promise<void>;
  api(method: string, path: string, body?: unknown, token?: string, contentType?: string): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A port nobody listens on right now, on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Boots the whole platform in this process, on a fresh database of the given kind, like `npm start` does. */
export async function startTestPlatform(
  kind: DatabaseKind,
  extraEnv: Record<string, string> = {},
  reuse?: { databaseUrl: string; dataDir: string; port: number },
): Promise<TestPlatform> {
  const port = reuse?.port ?? (await freePort());
  const dataDir = reuse?.dataDir ?? (await mkdtemp(join(tmpdir(), 'tessera-e2e-')));
  const testDb = reuse ? { url: reuse.databaseUrl, drop: async () => undefined } : kind === 'postgres' ? await createTestDatabase() : undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  const platform = await startPlatform({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    TESSERA_SEED_DEMO: 'false',
    ...(testDb ? { DATABASE_URL: testDb.url } : {}),
    ...extraEnv,
  });
  const adminToken = platform.adminToken;
  let stopped = false;
  return {
    platform,
    baseUrl,
    adminToken,
    databaseUrl: testDb?.url,
    dataDir,
    port,
    async stopKeepingData() {
      stopped = true;
      await platform.close();
    },
    async api(method, path, body, token = adminToken, contentType = 'application/json') {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, ...(await readBody(response)) };
    },
    async close() {
      if (!stopped) await platform.close();
      await testDb?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Posts one raw JSON-RPC message to an MCP endpoint and parses the answer (JSON or SSE). */
/** Onboards tenant `acme` with workspace `handbook` and a workspace access token for `subject`, as most e2e files start. */
export async function onboardHandbook(t: TestPlatform, subject = 'ana@acme.example'): Promise<{ connector: string; token: string }> {
  const created = await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
  if (created.status !== 201) throw new Error(`creating the tenant answered ${created.status}: ${created.text}`);
  const connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
  const token = (await t.api('POST', '/v1/tenants/acme/workspaces/handbook/access-tokens', { subject })).json.token;
  return { connector, token };
}

export async function mcpRequest(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await readBody(response)).json };
}

/** A response's text, and its JSON when it is JSON. */
export async function readBody(response: Response): Promise<{ text: string; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const text = await response.text();
  try {
    return { text, json: text ? JSON.parse(text) : undefined };
  } catch {
    return { text, json: undefined };
  }
}
