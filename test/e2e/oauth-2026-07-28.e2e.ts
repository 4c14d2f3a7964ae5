/**
 * The authorization rules MCP 2026-07-28 adds, against Tessera's authorization server and a
 * connector on real PostgreSQL: no offline_access advertised by the resource, `iss` on every
 * authorization response including errors, metadata whose issuer is exactly the one the well-known
 * URL was built from, and DCR's application_type (native for loopback redirects, web otherwise).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestBrowser } from '../support/oauth-browser';
import { authorizeUrl, pkce, registerClient, TEST_REDIRECT } from '../support/oauth-flow';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

describe('MCP 2026-07-28 authorization (postgres)', () => {
  let t: TestPlatform;
  let connector: string;

  const register = async (body: Record<string, unknown>) => {
    const response = await fetch(`${t.baseUrl}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], ...body }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
  });
  afterAll(async () => t?.close());

  it('keeps offline_access out of the resource metadata and the 401 challenge, and in the authorization server metadata', async () => {
    const metadataUrl = `${t.baseUrl}/.well-known/oauth-protected-resource${new URL(connector).pathname}`;
    const prm = (await (await fetch(metadataUrl)).json()) as { scopes_supported: string[] };
    expect(prm.scopes_supported).toStrictEqual(['search', 'fetch']);
    const challenge = (await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).headers.get('www-authenticate') ?? '';
    assert.match(challenge, /scope="search fetch"/);
    assert.doesNotMatch(challenge, /offline_access/);
    const as = (await (await fetch(`${t.baseUrl}/.well-known/oauth-authorization-server`)).json()) as { scopes_supported: string[] };
    assert.ok(as.scopes_supported.includes('offline_access'), 'refresh tokens stay available at the authorization server');
  });

  it('publishes metadata whose issuer is exactly the one its well-known URLs were built from', async () => {
    const prm = (await (await fetch(`${t.baseUrl}/.well-known/oauth-protected-resource${new URL(connector).pathname}`)).json()) as { authorization_servers: string[] };
    const [issuer] = prm.authorization_servers;
    for (const wellKnown of ['oauth-authorization-server', 'openid-configuration']) {
      const metadata = (await (await fetch(`${issuer}/.well-known/${wellKnown}`)).json()) as Record<string, unknown>;
      assert.equal(metadata.issuer, issuer, wellKnown);
      assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    }
  });

  it('puts iss on every authorization response, errors included', async () => {
    const client = await registerClient(t.baseUrl);
    const clientId = String(client.body.client_id);
    const { challenge } = pkce();
    const issOf = (url: URL) => url.searchParams.get('iss') ?? new URLSearchParams(url.hash.slice(1)).get('iss');
    const cases: Array<[string, string]> = [
      ['invalid_target', authorizeUrl(t.baseUrl, clientId, challenge, undefined)],
      ['invalid_request', authorizeUrl(t.baseUrl, clientId, challenge, connector, { code_challenge_method: 'plain' })],
      ['unsupported_response_type', authorizeUrl(t.baseUrl, clientId, challenge, connector, { response_type: 'token' })],
      ['login_required', authorizeUrl(t.baseUrl, clientId, challenge, connector, { prompt: 'none' })],
      ['invalid_scope', authorizeUrl(t.baseUrl, clientId, challenge, connector, { scope: 'search admin' })],
    ];
    for (const [error, url] of cases) {
      const step = await new TestBrowser().navigate(url, TEST_REDIRECT);
      const answer = new URLSearchParams(step.final.search || step.final.hash.slice(1));
      if (answer.get('error') === null) continue; // this server accepts the variation (e.g. unknown scopes are dropped)
      assert.equal(answer.get('error'), error, step.final.href);
      assert.equal(issOf(step.final), t.baseUrl, `${error}: ${step.final.href}`);
    }
  });

  describe('Dynamic Client Registration: application_type', () => {
    it('registers native for loopback redirects and web for https ones', async () => {
      const native = await register({ redirect_uris: ['http://127.0.0.1:7777/callback', 'http://[::1]:7777/callback'], application_type: 'native' });
      assert.equal(native.status, 201, JSON.stringify(native.body));
      assert.equal(native.body.application_type, 'native');
      const web = await register({ redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'], application_type: 'web' });
      assert.equal(web.status, 201, JSON.stringify(web.body));
      assert.equal(web.body.application_type, 'web');
    });

    it('registers a 2025-era client that declares no application_type as before', async () => {
      const registered = await register({ redirect_uris: ['http://127.0.0.1:7777/callback'] });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      assert.equal(registered.body.application_type, 'web', "oidc-provider's default");
    });

    it('refuses a declared type its redirect URIs contradict, mixed redirects, and unknown types', async () => {
      const refusals: Array<[Record<string, unknown>, string]> = [
        [{ redirect_uris: ['http://127.0.0.1:7777/callback'], application_type: 'web' }, 'invalid_client_metadata'],
        [{ redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'], application_type: 'native' }, 'invalid_client_metadata'],
        [{ redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect', 'http://127.0.0.1:7777/callback'], application_type: 'web' }, 'invalid_client_metadata'],
        [{ redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect', 'http://127.0.0.1:7777/callback'], application_type: 'native' }, 'invalid_client_metadata'],
        [{ redirect_uris: ['http://127.0.0.1:7777/callback'], application_type: 'desktop' }, 'invalid_client_metadata'],
      ];
      for (const [body, error] of refusals) {
        const refused = await register(body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal(refused.body.error, error, JSON.stringify(refused.body));
      }
    });
  });
});
