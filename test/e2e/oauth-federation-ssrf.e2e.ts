/**
 * A tenant's IdP metadata pointing the authorization server at an internal address: the issuer itself is
 * a (development-allowed) loopback server, but its token endpoint is an address of this machine on a
 * private network. The token request must never reach it: every outbound request of the federation
 * (discovery, token endpoint, JWKS) goes through the platform's one outbound guard.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { FEDERATION_CALLBACK_PATH } from '@tessera/domain';
import { addressProblem } from '@tessera/server';
import { authorizeUrl, pkce, registerClient, TEST_REDIRECT } from '../support/oauth-flow';
import { TestBrowser } from '../support/oauth-browser';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/** An address of this machine that is not loopback but is private or otherwise special-use (a pod or VM network). */
function privateInterfaceAddress(): string {
  const candidates = Object.values(networkInterfaces()).flat().filter((i) => i && !i.internal && i.family === 'IPv4' && addressProblem(i.address));
  assert.ok(candidates[0], 'this test needs a non-loopback private IPv4 address on the machine (every container and VM network has one)');
  return candidates[0].address;
}

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

describe('federation never connects to internal addresses named by IdP metadata (development setting: loopback issuer allowed)', () => {
  let t: TestPlatform;
  let idp: Server;
  let internal: Server;
  let issuer: string;
  const idpRequests: string[] = [];
  const internalRequests: string[] = [];

  beforeAll(async () => {
    const internalHost = privateInterfaceAddress();
    internal = createServer((req, res) => {
      internalRequests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","token_type":"bearer"}');
    });
    const internalPort = await listen(internal, internalHost);
    idp = createServer((req, res) => {
      idpRequests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `http://${internalHost}:${internalPort}/token`,
        jwks_uri: `http://${internalHost}:${internalPort}/jwks`,
        response_types_supported: ['code'],
      }));
    });
    issuer = `http://127.0.0.1:${await listen(idp, '127.0.0.1')}`;
    t = await startTestPlatform('postgres', { TESSERA_DEV_ALLOW_LOOPBACK_METADATA: 'true' });
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' });
    const put = await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer, clientId: 'tessera', clientSecret: 'secret', displayName: 'Acme SSO' });
    assert.equal(put.status, 200, put.text);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => idp?.close(resolve));
    await new Promise((resolve) => internal?.close(resolve));
  });

  it('discovers the IdP, then refuses its token endpoint on a private address without sending it anything', async () => {
    const connector = `${t.baseUrl}/mcp/acme/kb`;
    const clientId = String((await registerClient(t.baseUrl)).body.client_id);
    const browser = new TestBrowser();
    const login = await browser.navigate(authorizeUrl(t.baseUrl, clientId, pkce().challenge, connector), TEST_REDIRECT);
    const toIdp = await browser.submit(login.final, login.page!, {}, `${issuer}/authorize`, 'Continue with');
    assert.ok(toIdp.final.href.startsWith(`${issuer}/authorize`), `sent to the IdP: ${toIdp.final.href} ${toIdp.page?.slice(0, 200) ?? ''}`);
    assert.deepEqual(idpRequests, ['/.well-known/openid-configuration'], 'discovery went to the issuer');
    const state = toIdp.final.searchParams.get('state')!;
    const callback = await fetch(`${t.baseUrl}${FEDERATION_CALLBACK_PATH}?${new URLSearchParams({ code: 'stolen-code', state, iss: issuer })}`, { redirect: 'manual' });
    assert.equal(callback.status, 400);
    assert.match(await callback.text(), /could not be verified/);
    assert.deepEqual(internalRequests, [], 'nothing reached the internal address');
  });

  it('refuses internal issuers when a tenant saves them, in any spelling (only loopback is open, in development)', async () => {
    for (const issuer of ['https://kubernetes.default.svc', 'https://metadata.google.internal', 'https://169.254.169.254', 'https://0xa9.254.169.254',
      'https://2852039166', 'https://[::ffff:169.254.169.254]', 'https://[::ffff:a00:1]', 'https://0x0a.0.0.1', 'https://10.1', `http://${privateInterfaceAddress()}`]) {
      const refused = await t.api('PUT', '/v1/tenants/acme/identity-provider', { issuer, clientId: 'x', clientSecret: 'y' });
      assert.equal(refused.status, 400, `${issuer}: ${refused.text}`);
      assert.match(refused.json.message, /^issuer: /);
    }
  });

});
