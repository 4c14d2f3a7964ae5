import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { OutboundRequestRefused } from '@tessera/server';
import { authorizationRequestFailure, discoveryFailure, exchangeFailure } from './federation-test-failure';
import { IssuerRefused } from './idp-discovery';

const oauthError = (status: number, body: { error: string; error_description?: string }) =>
  new oidc.ResponseBodyError('server responded with an error in the response body', { cause: body, response: new Response(JSON.stringify(body), { status }) });

describe('test sign-in failures, as the admin reads them', () => {
  it('names a refused issuer apart from one whose discovery failed', () => {
    assert.equal(discoveryFailure(new IssuerRefused('identity provider issuer must use https'), 'http://idp.example').code, 'issuer_refused');
    assert.equal(discoveryFailure(new OutboundRequestRefused('10.0.0.1 is a private address'), 'https://idp.example').code, 'issuer_refused');
    const failed = discoveryFailure(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }), 'https://idp.example');
    assert.equal(failed.code, 'discovery_failed');
    assert.match(failed.message, /ECONNREFUSED.*https:\/\/idp\.example\/\.well-known\/openid-configuration/);
  });

  it('tells a wrong client secret (invalid_client in the body, or a 401 challenge) from a refused code', () => {
    assert.equal(exchangeFailure(oauthError(401, { error: 'invalid_client', error_description: 'client authentication failed' })).code, 'client_authentication_failed');
    const challenge = new oidc.WWWAuthenticateChallengeError('unexpected WWW-Authenticate challenge', {
      cause: [{ scheme: 'basic', parameters: { realm: 'idp', error: 'invalid_client' } }],
      response: new Response(null, { status: 401 }),
    });
    assert.equal(exchangeFailure(challenge).code, 'client_authentication_failed');
    assert.equal(exchangeFailure(oauthError(400, { error: 'invalid_grant', error_description: 'grant request is invalid' })).code, 'code_exchange_refused');
    assert.equal(exchangeFailure(oauthError(500, { error: 'server_error' })).code, 'token_request_failed');
  });

  it('reports ID token checks as such, and anything else as a token request failure', () => {
    const idToken = Object.assign(new Error('unexpected JWT "nonce" claim value'), { code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' });
    assert.equal(exchangeFailure(idToken).code, 'id_token_invalid');
    assert.equal(exchangeFailure(new TypeError('fetch failed')).code, 'token_request_failed');
    assert.equal(exchangeFailure('not even an error').code, 'token_request_failed');
  });

  it('keeps what the IdP says to one bounded printable line', () => {
    const { message } = exchangeFailure(oauthError(401, { error: 'invalid_client', error_description: `bad\r\n\u202eevil${'x'.repeat(1000)}` }));
    assert.doesNotMatch(message, /[\r\n\u202e]/);
    assert.ok(message.length < 500, String(message.length));
  });

  it('reads an error page for the authorization request as a refused redirect URI (or client), and a redirect or a login page as fine', () => {
    for (const status of [200, 302, 303]) assert.equal(authorizationRequestFailure(status, 'https://t.example/oauth/federation/callback', 'tessera'), undefined, String(status));
    const refused = authorizationRequestFailure(400, 'https://t.example/oauth/federation/callback', 'tessera');
    assert.equal(refused?.code, 'redirect_refused');
    assert.match(refused!.message, /HTTP 400.*https:\/\/t\.example\/oauth\/federation\/callback.*tessera/);
  });
});
