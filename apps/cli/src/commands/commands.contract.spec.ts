import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { run } from '../main';
import { captureIo, FAST_RETRY } from '../testing/capture-io';
import { startFakeTesseraApi, type FakeTesseraApi } from '../testing/fake-tessera-api';

const ADMIN_TOKEN = 'platform_admin_secret_token';

describe('tenants / workspaces / tokens commands against a fake of the Tessera API', () => {
  let api: FakeTesseraApi;

  beforeAll(async () => {
    api = await startFakeTesseraApi({ token: ADMIN_TOKEN, existing: ['acme', 'acme/docs'] });
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
  });

  async function tessera(args: string[], env: NodeJS.ProcessEnv = { TESSERA_ADMIN_TOKEN: ADMIN_TOKEN }) {
    const output = captureIo();
    const exitCode = await run([...args, '--api-url', api.url], { io: output.io, env, retry: FAST_RETRY });
    const all = output.stdout() + output.stderr();
    assert.ok(!all.includes(ADMIN_TOKEN), 'the caller\'s token must never be printed');
    return { exitCode, stdout: output.stdout(), stderr: output.stderr() };
  }

  it('tenants create posts slug and name and shows the API key once', async () => {
    const result = await tessera(['tenants', 'create', '--slug', 'globex', '--name', 'Globex Corp']);
    assert.equal(result.exitCode, 0);
    expect(JSON.parse(api.requests[0].body)).toStrictEqual({ slug: 'globex', name: 'Globex Corp' });
    assert.equal(api.requests[0].path, '/v1/tenants');
    assert.match(result.stdout, /Created tenant "Globex Corp" \(slug: globex, id: ten_\d+\)/);
    assert.match(result.stdout, /\n {4}tsk_secret_globex\n/);
    assert.equal(result.stdout.split('tsk_secret_globex').length - 1, 1);
  });

  it('--json prints the raw response for scripts', async () => {
    const result = await tessera(['tenants', 'create', '--slug', 'initech', '--name', 'Initech', '--json']);
    assert.equal(result.exitCode, 0);
    expect(JSON.parse(result.stdout)).toStrictEqual({ id: JSON.parse(result.stdout).id, slug: 'initech', name: 'Initech', apiKey: 'tsk_secret_initech' });
  });

  it('shows API errors as "error: <message> (<code>, HTTP <status>)" with exit code 1', async () => {
    const result = await tessera(['tenants', 'create', '--slug', 'acme', '--name', 'Again']);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stderr, 'error: tenant "acme" already exists (conflict, HTTP 409)\n');
    assert.equal(result.stdout, '');
  });

  it('retries a create on 503 but not on 502, which may hide a create that succeeded', async () => {
    api.scriptNext({ status: 503, body: { code: 'unavailable', message: 'starting' } });
    assert.equal((await tessera(['tenants', 'create', '--slug', 'hooli', '--name', 'Hooli'])).exitCode, 0);
    assert.equal(api.requests.length, 2);

    api.requests.length = 0;
    api.scriptNext({ status: 502, body: { code: 'bad_gateway', message: 'upstream reset' } });
    const result = await tessera(['tenants', 'create', '--slug', 'umbrella', '--name', 'Umbrella']);
    assert.equal(result.exitCode, 1);
    assert.equal(api.requests.length, 1);
    assert.match(result.stderr, /upstream reset \(bad_gateway, HTTP 502\)/);
  });

  it('workspaces create prints the connector URL prominently', async () => {
    const result = await tessera(['workspaces', 'create', '--tenant', 'acme', '--slug', 'support', '--name', 'Support KB']);
    assert.equal(result.exitCode, 0);
    assert.equal(api.requests[0].path, '/v1/tenants/acme/workspaces');
    expect(JSON.parse(api.requests[0].body)).toStrictEqual({ slug: 'support', name: 'Support KB' });
    assert.match(result.stdout, /Connector URL.*\n\n {4}https:\/\/connectors\.example\.test\/mcp\/acme\/support\n\n/);
  });

  it('encodes tenant and workspace as single path segments', async () => {
    const result = await tessera(['workspaces', 'create', '--tenant', 'a/b', '--slug', 's', '--name', 'n']);
    assert.equal(api.requests[0].path, '/v1/tenants/a%2Fb/workspaces');
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /tenant "a\/b" not found \(tenant_not_found, HTTP 404\)/);
  });

  it('tokens create sends subject, groups and expiry and shows the token once', async () => {
    const result = await tessera([
      'tokens', 'create', '--tenant', 'acme', '--workspace', 'docs', '--subject', 'ana@example.com',
      '--groups', 'eng, sales,eng', '--expires-in-days', '30',
    ]);
    assert.equal(result.exitCode, 0);
    assert.equal(api.requests[0].path, '/v1/tenants/acme/workspaces/docs/access-tokens');
    expect(JSON.parse(api.requests[0].body)).toStrictEqual({ subject: 'ana@example.com', groups: ['eng', 'sales'], expiresInDays: 30 });
    assert.match(result.stdout, /groups: {4}eng, sales/);
    assert.match(result.stdout, /expires: {3}2030-01-31/);
    assert.match(result.stdout, /\n {4}tat_secret_ana@example\.com\n/);
  });

  it('tokens create omits optional fields that were not given', async () => {
    const result = await tessera(['tokens', 'create', '--tenant', 'acme', '--workspace', 'docs', '--subject', 'bo', '--json']);
    assert.equal(result.exitCode, 0);
    expect(JSON.parse(api.requests[0].body)).toStrictEqual({ subject: 'bo' });
    assert.equal(JSON.parse(result.stdout).expiresAt, null);
  });

  it('uses TESSERA_TOKEN in preference to TESSERA_ADMIN_TOKEN', async () => {
    const result = await tessera(['tenants', 'create', '--slug', 'x1', '--name', 'X'], {
      TESSERA_TOKEN: 'tenant_key_that_is_wrong',
      TESSERA_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    assert.equal(api.requests[0].headers.authorization, 'Bearer tenant_key_that_is_wrong');
    assert.equal(result.exitCode, 1);
    assert.ok(!result.stderr.includes('tenant_key_that_is_wrong'));
  });

  it('reads the base URL from TESSERA_API_URL when --api-url is absent', async () => {
    const output = captureIo();
    const exitCode = await run(['tenants', 'create', '--slug', 'envurl', '--name', 'E'], {
      io: output.io,
      env: { TESSERA_ADMIN_TOKEN: ADMIN_TOKEN, TESSERA_API_URL: api.url },
    });
    assert.equal(exitCode, 0);
    assert.equal(api.requests.length, 1);
  });
});
