/**
 * Client ID Metadata Documents, as ChatGPT uses them (client_id = URL of a JSON document): the happy path
 * with the MCP SDK client against a local HTTPS host, and the documents and URLs that must be refused.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startLocalHttps, type LocalHttpsServer } from '../support/local-https';
import { InMemoryOAuthProvider } from '../support/mcp-oauth-client';
import { TestBrowser } from '../support/oauth-browser';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

const REDIRECT = 'http://127.0.0.1:7777/callback';
const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };

const metadata = (clientId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ client_id: clientId, client_name: 'Metadata client', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...extra });

async function onboard(t: TestPlatform): Promise<string> {
  await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
  const connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl as string;
  await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: ANA.email, name: 'Ana', password: ANA.password });
  await t.api('PUT', '/v1/tenants/acme/workspaces/handbook/documents/laptops', { title: 'Laptop policy', text: 'Request a laptop through the IT portal.' });
  return connector;
}

function authorizeUrl(t: TestPlatform, clientId: string, resource: string, redirectUri = REDIRECT): string {
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  return `${t.baseUrl}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'search fetch', code_challenge: challenge, code_challenge_method: 'S256', resource, state: 's' })}`;
}

describe('Client ID Metadata Documents (development setting: loopback metadata host allowed)', () => {
  let host: LocalHttpsServer;
  let t: TestPlatform;
  let connector: string;

  beforeAll(async () => {
    host = await startLocalHttps({
      '/client.json': (origin) => ({ body: metadata(`${origin}/client.json`), headers: { 'cache-control': 'max-age=60' } }),
      '/big.json': (origin) => ({ body: metadata(`${origin}/big.json`, { padding: 'x'.repeat(6000) }) }),
      '/mismatch.json': () => ({ body: metadata('https://chatgpt.com/oauth/someone-else/client.json') }),
      '/evil-redirect.json': (origin) => ({ body: metadata(`${origin}/evil-redirect.json`, { redirect_uris: ['https://evil.example/cb'] }) }),
      '/secret.json': (origin) => ({ body: metadata(`${origin}/secret.json`, { token_endpoint_auth_method: 'client_secret_basic' }) }),
    });
    t = await startTestPlatform('postgres', { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: 'true', TESSERA_DEV_METADATA_CA_PEM: host.caPem });
    connector = await onboard(t);
  });
  afterAll(async () => {
    await t?.close();
    await host?.close();
  });

  it('lets the SDK client use a metadata document URL as its client_id, with no registration', async () => {
    const oauth = new InMemoryOAuthProvider(REDIRECT, `${host.origin}/client.json`, 'search fetch');
    const first = new StreamableHTTPClientTransport(new URL(connector), { authProvider: oauth });
    await assert.rejects(new Client({ name: 'sdk', version: '1' }).connect(first), UnauthorizedError);
    assert.equal(oauth.authorizationUrl?.searchParams.get('client_id'), `${host.origin}/client.json`);
    const step = await new TestBrowser().authorize(oauth.authorizationUrl!.href, REDIRECT, ANA);
    await first.finishAuth(step.final.searchParams.get('code')!);
    const client = new Client({ name: 'sdk', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(connector), { authProvider: oauth }));
    const result = await client.callTool({ name: 'search', arguments: { query: 'laptop' } });
    assert.match((result.content as Array<{ text: string }>)[0]!.text, /laptops/);
    await client.close();
  });

  it('ends the access tokens of metadata-document clients once the workspace stops accepting them', async () => {
    const oauth = new InMemoryOAuthProvider(REDIRECT, `${host.origin}/client.json`, 'search fetch');
    const first = new StreamableHTTPClientTransport(new URL(connector), { authProvider: oauth });
    await assert.rejects(new Client({ name: 'sdk', version: '1' }).connect(first), UnauthorizedError);
    const step = await new TestBrowser().authorize(oauth.authorizationUrl!.href, REDIRECT, ANA);
    await first.finishAuth(step.final.searchParams.get('code')!);
    const ping = async () => (await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${oauth.savedTokens!.access_token}` })).status;
    assert.equal(await ping(), 200);
    try {
      assert.equal((await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowMetadataDocuments: false } })).status, 200);
      assert.equal(await ping(), 401, 'refused on the next call, not when the token expires');
      assert.equal((await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowDynamicRegistration: false, allowMetadataDocuments: true } })).status, 200);
      assert.equal(await ping(), 200, 'forbidding another kind of client leaves this one alone');
    } finally {
      await t.api('PATCH', '/v1/tenants/acme/workspaces/handbook', { clientPolicy: { allowDynamicRegistration: true, allowMetadataDocuments: true } });
    }
  });

  for (const [path, why, redirect] of [
    ['/big.json', 'an oversized document', REDIRECT],
    ['/mismatch.json', 'a document whose client_id is not its URL', REDIRECT],
    ['/evil-redirect.json', 'a document with a redirect URI off the policy', 'https://evil.example/cb'],
    ['/secret.json', 'a document asking for a shared-secret auth method', REDIRECT],
  ] as const) {
    it(`refuses ${why}`, async () => {
      // Stopping at the redirect URI means the test never follows a redirect off this machine.
      const step = await new TestBrowser().navigate(authorizeUrl(t, `${host.origin}${path}`, connector, redirect), redirect);
      assert.equal(step.status, 400, `expected an error page, got ${step.status} ${step.final.href}`);
      assert.match(step.page ?? '', /invalid_client|invalid_redirect_uri/);
    });
  }
});

describe('Client ID Metadata Documents (production setting)', () => {
  let host: LocalHttpsServer;
  let t: TestPlatform;
  let connector: string;

  beforeAll(async () => {
    host = await startLocalHttps({ '/client.json': (origin) => ({ body: metadata(`${origin}/client.json`) }) });
    t = await startTestPlatform('postgres');
    connector = await onboard(t);
  });
  afterAll(async () => {
    await t?.close();
    await host?.close();
  });

  it('never fetches a metadata document from a loopback or private address', async () => {
    for (const clientId of [`${host.origin}/client.json`, 'https://localhost/client.json', 'https://10.0.0.8/client.json', 'https://[::1]/client.json', 'http://chatgpt.com/client.json']) {
      const step = await new TestBrowser().navigate(authorizeUrl(t, clientId, connector), REDIRECT);
      assert.equal(step.status, 400, clientId);
      assert.match(step.page ?? '', /invalid_client/, clientId);
    }
    assert.deepEqual(host.requests, [], 'nothing was fetched');
  });
});
