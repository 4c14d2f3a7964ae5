/**
 * An independent OAuth client — openid-client, a certified relying-party library — against Tessera's
 * authorization server: discovery, dynamic registration and its management (RFC 7592), code + PKCE with
 * `resource`, refresh, revocation and introspection.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/oauth-browser';
import { TEST_REDIRECT } from '../support/oauth-flow';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

const ANA = { email: 'ana@acme.example', password: 'correct horse battery staple' };

describe('openid-client as an independent client (PostgreSQL)', () => {
  let t: TestPlatform;
  let connector: string;
  let config: oidc.Configuration;
  let registration: { registration_access_token?: string; registration_client_uri?: string };

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' });
    connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).json.connectorUrl;
    await t.api('POST', '/v1/tenants/acme/workspaces/handbook/users', { email: ANA.email, name: 'Ana', password: ANA.password });
  });
  afterAll(async () => t?.close());

  it('discovers the server and registers dynamically', async () => {
    config = await oidc.dynamicClientRegistration(
      new URL(t.baseUrl),
      { redirect_uris: [TEST_REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], client_name: 'openid-client' },
      oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, t.baseUrl);
    assert.ok(metadata.supportsPKCE());
    registration = config.clientMetadata() as typeof registration;
    assert.ok(registration.registration_access_token && registration.registration_client_uri);
  });

  it('reads its registration back with the registration access token (RFC 7592), and not without it', async () => {
    const read = await fetch(registration.registration_client_uri!, { headers: { authorization: `Bearer ${registration.registration_access_token}` } });
    assert.equal(read.status, 200);
    assert.equal(((await read.json()) as { client_id: string }).client_id, config.clientMetadata().client_id);
    const anonymous = await fetch(registration.registration_client_uri!);
    assert.equal(anonymous.status, 401);
  });

  it('runs code + PKCE with resource, refreshes, introspects and revokes', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: TEST_REDIRECT,
      scope: 'search fetch offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      resource: connector,
      state,
    });
    const step = await new TestBrowser().authorize(url.href, TEST_REDIRECT, ANA);
    const tokens = await oidc.authorizationCodeGrant(config, step.final, { pkceCodeVerifier: verifier, expectedState: state }, { resource: connector });
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.refresh_token);
    assert.equal((await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${tokens.access_token}` })).status, 200);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { resource: connector });
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'rotated');
    assert.equal((await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: `Bearer ${refreshed.access_token}` })).status, 200);

    const introspected = await oidc.tokenIntrospection(config, refreshed.refresh_token!);
    assert.equal(introspected.active, true);
    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    assert.equal((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active, false);
    await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token!, { resource: connector }), (error: { error?: string }) => error.error === 'invalid_grant');
  });
});
