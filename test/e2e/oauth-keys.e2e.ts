/**
 * Signing-key rotation across a restart (tokens signed before it keep working; new ones use the new key)
 * and access-token expiry, on real PostgreSQL.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, describe, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, SigningKeyRepository } from '@tessera/persistence';
import { rotateSigningKey } from '../../apps/auth/src/oidc/signing-keys';
import { codeFlow } from '../support/oauth-flow';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };
const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;
const ping = (url: string, token: string) => mcpRequest(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${token}` });

async function onboard(t: TestPlatform): Promise<string> {
  await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
  const connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl as string;
  await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: ANA.email, name: 'Ana', password: ANA.password });
  return connector;
}

describe('signing keys and token lifetime', () => {
  const running: TestPlatform[] = [];
  afterAll(async () => {
    for (const t of running.reverse()) await t.close().catch(() => undefined);
  });

  it('rotates the signing key without breaking tokens issued before the rotation', async () => {
    const first = await startTestPlatform('postgres');
    running.push(first); // closing it last drops the database both runs shared
    const connector = await onboard(first);
    const before = (await codeFlow(first.baseUrl, connector, ANA)).exchanged.body.access_token!;
    await first.stopKeepingData();

    const database = await openDatabase({ databaseUrl: first.databaseUrl!, dataDir: first.dataDir });
    const newKid = await rotateSigningKey(new SigningKeyRepository(database.dataSource));
    await database.close();

    const second = await startTestPlatform('postgres', {}, { databaseUrl: first.databaseUrl!, dataDir: first.dataDir, port: first.port });
    running.push(second);
    const jwks = (await (await fetch(`${second.baseUrl}/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
    assert.deepEqual(new Set(jwks.keys.map((k) => k.kid)), new Set([newKid, kidOf(before)]), 'old and new key both published');
    assert.equal((await ping(connector, before)).status, 200, 'a token signed with the retired key still works');
    const after = (await codeFlow(second.baseUrl, connector, ANA)).exchanged.body.access_token!;
    assert.equal(kidOf(after), newKid, 'new tokens are signed with the new key');
    assert.equal((await ping(connector, after)).status, 200);
  });

  it('refuses an access token once it has expired', async () => {
    const t = await startTestPlatform('postgres', { AUTH_ACCESS_TOKEN_TTL_SECONDS: '1' });
    running.push(t);
    const connector = await onboard(t);
    const token = (await codeFlow(t.baseUrl, connector, ANA)).exchanged.body.access_token!;
    assert.equal((await ping(connector, token)).status, 200);
    await sleep(7_000); // lifetime 1 s + the gateway's 5 s clock tolerance
    const expired = await ping(connector, token);
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token/);
  });
});
