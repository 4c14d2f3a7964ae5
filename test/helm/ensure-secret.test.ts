/**
 * helm/tessera/files/ensure-secret.js, the script of the chart's secrets hook Job, run with node against a
 * stand-in Kubernetes API (an HTTP server keeping Secrets in memory: no Kubernetes API server runs here). It must
 * create the generated Secret once, never rewrite a key, adopt an earlier chart's admin token (keeping the keys
 * that were derived from it readable), survive a concurrent creator, and never print a secret.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CHART } from './chart-support';

/** The query-hash key the gateway derived from the admin token before TESSERA_QUERY_HASH_KEY existed, base64url. */
const derivedQueryKey = (adminToken: string) => createHmac('sha256', adminToken).update('tessera:query-hash:v1').digest('base64url');

const SCRIPT = join(CHART, 'files', 'ensure-secret.js');
const TOKEN = 'stand-in-service-account-token';

class StandInKubernetesApi {
  readonly secrets = new Map<string, Record<string, string>>();
  readonly requests: string[] = [];
  /** Answers the next create with 409 after storing this Secret, as if another hook created it first. */
  raceOnCreate: Record<string, string> | undefined;
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    this.requests.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { message: 'Unauthorized' } };
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match) return { status: 404, body: { message: 'not found' } };
    const [, namespace, name] = match;
    const key = (n: string) => `${namespace}/${n}`;
    const encode = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    const decode = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    if (req.method === 'GET' && name) {
      const secret = this.secrets.get(key(name));
      return secret ? { status: 200, body: { metadata: { name }, data: encode(secret) } } : { status: 404, body: { message: 'not found' } };
    }
    if (req.method === 'POST' && !name) {
      const body = JSON.parse(text) as { metadata: { name: string }; data: Record<string, string> };
      if (this.raceOnCreate) {
        this.secrets.set(key(body.metadata.name), this.raceOnCreate);
        this.raceOnCreate = undefined;
      }
      if (this.secrets.has(key(body.metadata.name))) return { status: 409, body: { message: 'already exists' } };
      this.secrets.set(key(body.metadata.name), decode(body.data));
      return { status: 201, body: {} };
    }
    if (req.method === 'PATCH' && name && req.headers['content-type'] === 'application/merge-patch+json') {
      const secret = this.secrets.get(key(name));
      if (!secret) return { status: 404, body: { message: 'not found' } };
      this.secrets.set(key(name), { ...secret, ...decode((JSON.parse(text) as { data: Record<string, string> }).data) });
      return { status: 200, body: {} };
    }
    return { status: 405, body: { message: 'method not allowed' } };
  }
}

describe('the secrets hook script (stand-in Kubernetes API)', () => {
  const api = new StandInKubernetesApi();
  let url: string;
  let serviceAccountDir: string;
  beforeAll(async () => {
    url = await api.start();
    serviceAccountDir = mkdtempSync(join(tmpdir(), 'tessera-sa-'));
    writeFileSync(join(serviceAccountDir, 'token'), `${TOKEN}\n`);
  });
  afterAll(async () => {
    await api.stop();
    rmSync(serviceAccountDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.secrets.clear();
    api.requests.length = 0;
  });

  const run = (keys = 'TESSERA_ADMIN_TOKEN,AUTH_COOKIE_KEYS,TESSERA_ENCRYPTION_KEY,TESSERA_QUERY_HASH_KEY') =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [SCRIPT], {
        env: { PATH: process.env.PATH, KUBE_API_URL: url, SERVICE_ACCOUNT_DIR: serviceAccountDir, NAMESPACE: 'tessera', SECRET_NAME: 'tessera-generated', LEGACY_SECRET_NAME: 'tessera', KEYS: keys },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.once('close', (code) => resolve({ code, output }));
    });
  const assertNoSecretIn = (output: string) => {
    for (const secret of api.secrets.values()) for (const value of Object.values(secret)) assert.ok(!output.includes(value), 'a secret value was printed');
  };

  it('creates the Secret with fresh values once, and leaves it unchanged on every later run', async () => {
    const first = await run();
    assert.equal(first.code, 0, first.output);
    const created = { ...api.secrets.get('tessera/tessera-generated')! };
    assert.match(created.TESSERA_ADMIN_TOKEN, /^tsa_[A-Za-z0-9_-]{40}$/);
    assert.ok(created.AUTH_COOKIE_KEYS.length >= 32 && created.TESSERA_ENCRYPTION_KEY.length >= 32);
    assert.notEqual(created.AUTH_COOKIE_KEYS, created.TESSERA_ENCRYPTION_KEY);
    assert.match(created.TESSERA_QUERY_HASH_KEY, /^[A-Za-z0-9_-]{43}$/, 'fresh, base64url as the gateway reads it');
    assert.notEqual(created.TESSERA_QUERY_HASH_KEY, derivedQueryKey(created.TESSERA_ADMIN_TOKEN), 'not derived from a token nobody used before');
    assert.equal(created.TESSERA_PREVIOUS_ENCRYPTION_KEYS, undefined, 'nothing to keep readable on a fresh install');
    const second = await run();
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /unchanged/);
    expect(api.secrets.get('tessera/tessera-generated')).toStrictEqual(created);
    assert.ok(!api.requests.some((r) => r.startsWith('PATCH')), 'no write when nothing is missing');
    assertNoSecretIn(first.output + second.output);
  });

  it('adds only the keys a Secret lacks, never rewriting one', async () => {
    api.secrets.set('tessera/tessera-generated', { TESSERA_ADMIN_TOKEN: 'tsa_existing-token-0123456789abcdef', TESSERA_ENCRYPTION_KEY: 'k'.repeat(40) });
    const result = await run('TESSERA_ADMIN_TOKEN,TESSERA_ENCRYPTION_KEY,AUTH_COOKIE_KEYS');
    assert.equal(result.code, 0, result.output);
    const secret = api.secrets.get('tessera/tessera-generated')!;
    assert.equal(secret.TESSERA_ADMIN_TOKEN, 'tsa_existing-token-0123456789abcdef');
    assert.equal(secret.TESSERA_ENCRYPTION_KEY, 'k'.repeat(40));
    assert.ok(secret.AUTH_COOKIE_KEYS);
  });

  it('adopts the admin token of an earlier chart\'s Secret and keeps what was derived from it readable', async () => {
    const legacyToken = 'tsa_legacy-generated-token-0123456789';
    api.secrets.set('tessera/tessera', { TESSERA_ADMIN_TOKEN: legacyToken, DATABASE_URL: 'postgres://x@db/t' });
    const result = await run();
    assert.equal(result.code, 0, result.output);
    const secret = api.secrets.get('tessera/tessera-generated')!;
    assert.equal(secret.TESSERA_ADMIN_TOKEN, legacyToken);
    assert.equal(secret.TESSERA_PREVIOUS_ENCRYPTION_KEYS, `derived-from-admin-token:${legacyToken}`, 'the platform\'s former default encryption key');
    const [fresh, derived] = secret.AUTH_COOKIE_KEYS.split(',');
    assert.ok(fresh.length >= 32);
    assert.equal(derived, createHmac('sha256', legacyToken).update('tessera:cookie-key:v1').digest('base64url'), 'cookies signed before still verify');
    assert.equal(secret.TESSERA_QUERY_HASH_KEY, derivedQueryKey(legacyToken), 'audit query hashes stay comparable');
    assert.doesNotMatch(result.output, new RegExp(legacyToken));
  });

  it('adds the query-hash key on upgrade from a release without it, adopting the key derived from its admin token', async () => {
    const token = 'tsa_generated-before-0123456789abcdef';
    api.secrets.set('tessera/tessera-generated', { TESSERA_ADMIN_TOKEN: token, AUTH_COOKIE_KEYS: 'c'.repeat(40), TESSERA_ENCRYPTION_KEY: 'e'.repeat(40) });
    const result = await run();
    assert.equal(result.code, 0, result.output);
    const secret = api.secrets.get('tessera/tessera-generated')!;
    expect(Object.keys(secret).sort()).toStrictEqual(['AUTH_COOKIE_KEYS', 'TESSERA_ADMIN_TOKEN', 'TESSERA_ENCRYPTION_KEY', 'TESSERA_QUERY_HASH_KEY']);
    assert.equal(secret.TESSERA_QUERY_HASH_KEY, derivedQueryKey(token));
    assert.equal(secret.AUTH_COOKIE_KEYS, 'c'.repeat(40), 'nothing else rewritten');
    assertNoSecretIn(result.output);
  });

  it('reads again and keeps the other creator\'s values when it loses a race to create the Secret', async () => {
    const winner = { TESSERA_ADMIN_TOKEN: 'tsa_winner-token-0123456789abcdef', AUTH_COOKIE_KEYS: 'c'.repeat(40), TESSERA_ENCRYPTION_KEY: 'e'.repeat(40), TESSERA_QUERY_HASH_KEY: 'q'.repeat(43) };
    api.raceOnCreate = winner;
    const result = await run();
    assert.equal(result.code, 0, result.output);
    expect(api.secrets.get('tessera/tessera-generated')).toStrictEqual(winner);
  });

  it('fails, saying why, when the API refuses it', async () => {
    writeFileSync(join(serviceAccountDir, 'token'), 'a-wrong-token');
    try {
      const result = await run();
      assert.equal(result.code, 1);
      assert.match(result.output, /reading Secret tessera-generated: HTTP 401/);
      assert.equal(api.secrets.size, 0);
    } finally {
      writeFileSync(join(serviceAccountDir, 'token'), `${TOKEN}\n`);
    }
  });
});
