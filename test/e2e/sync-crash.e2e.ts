/**
 * A sync run survives its platform being killed (issue 20): the platform runs as a child process, as
 * `npm start` runs it, on real PostgreSQL; it is SIGKILLed mid-run (no shutdown hooks run) and started
 * again on the same database. Nothing is deleted by the crash, and the run can then be completed,
 * deleting exactly what it did not see, or abandoned, deleting nothing.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/platform';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const W = '/v1/tenants/acme/workspaces/handbook';
const lines = (ids: readonly string[]) => `${ids.map((id) => JSON.stringify({ id, title: `Doc ${id}`, text: `Body of ${id}.` })).join('\n')}\n`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `s-${from + i}`);

describe('a sync run across a killed platform (child process, PostgreSQL)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let port: number;
  let child: ChildProcess | undefined;
  const adminToken = `tsa_${randomBytes(24).toString('hex')}`;

  const start = async (): Promise<ChildProcess> => {
    const proc = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/standalone/src/main.ts'], {
      env: {
        ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: db.url,
        DATA_DIR: dataDir, TESSERA_ADMIN_TOKEN: adminToken, TESSERA_SEED_DEMO: 'false', LOG_LEVEL: 'info', NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (c: Buffer) => {
        output += c.toString();
        if (output.includes('Tessera is running')) resolve();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`platform exited (${code}): ${output.slice(-2000)}`)));
    });
    await Promise.race([ready, sleep(90_000).then(() => Promise.reject(new Error(`platform did not start: ${output.slice(-2000)}`)))]);
    return proc;
  };
  const api = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, json: text ? JSON.parse(text) : undefined };
  };
  const bulk = async (ids: readonly string[], run: string) => {
    const response = await api('POST', `${W}/documents:bulk?sync=${run}`, lines(ids), 'application/x-ndjson');
    assert.equal(response.status, 200, response.text);
  };
  const open = async (source: string) => {
    const response = await api('POST', `${W}/syncs`, { source });
    assert.equal(response.status, 201, response.text);
    return response.json.id as string;
  };
  const kill = async () => {
    const exited = once(child!, 'exit');
    child!.kill('SIGKILL');
    const [, signal] = await exited;
    assert.equal(signal, 'SIGKILL');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-sync-crash-'));
    port = await freePort();
    child = await start();
    assert.equal((await api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    assert.equal((await api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).status, 201);
    const first = await open('wiki');
    await bulk(range(0, 100), first);
    assert.equal((await api('POST', `${W}/syncs/${first}:complete`)).json.state, 'completed');
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('deletes nothing when killed mid-run; after a restart the run completes, deleting exactly what it did not see', async () => {
    const run = await open('wiki');
    await bulk(range(0, 90), run); // part of the source: s-90…s-99 not yet written by this run
    await kill();
    child = await start();
    for (const id of ['s-0', 's-89', 's-90', 's-99']) assert.equal((await api('GET', `${W}/documents/${id}`)).status, 200, `${id} survives the crash`);
    assert.equal((await api('GET', `${W}/syncs/${run}`)).json.state, 'open');
    const done = await api('POST', `${W}/syncs/${run}:complete`);
    assert.equal(done.status, 200, done.text);
    expect([done.json.state, done.json.seen, done.json.deleted]).toStrictEqual(['completed', 90, 10]);
    expect([...done.json.deletedIds].sort()).toStrictEqual(range(90, 100).sort());
    assert.equal((await api('GET', `${W}/documents/s-89`)).status, 200);
    assert.equal((await api('GET', `${W}/documents/s-90`)).status, 404);
  });

  it('deletes nothing when killed mid-run and the run is then abandoned', async () => {
    const run = await open('wiki');
    await bulk(range(0, 5), run);
    await kill();
    child = await start();
    const abandoned = await api('POST', `${W}/syncs/${run}:abandon`);
    expect([abandoned.status, abandoned.json.state, abandoned.json.deleted]).toStrictEqual([200, 'abandoned', 0]);
    assert.equal((await api('POST', `${W}/syncs/${run}:complete`)).status, 409, 'an abandoned run cannot be completed');
    for (const id of ['s-0', 's-5', 's-89']) assert.equal((await api('GET', `${W}/documents/${id}`)).status, 200, `${id} survives`);
  });
});
