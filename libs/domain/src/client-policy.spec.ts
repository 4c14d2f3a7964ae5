import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { clientKindRefusal, DEFAULT_CLIENT_POLICY, isLoopbackRedirectUri, isValidRedirectPattern, matchesRedirectPattern, redirectUriAllowed } from './client-policy';

describe('client redirect policy', () => {
  it("allows ChatGPT's redirect URIs by default", () => {
    assert.ok(redirectUriAllowed('https://chatgpt.com/connector_platform_oauth_redirect', DEFAULT_CLIENT_POLICY));
    assert.ok(redirectUriAllowed('https://chatgpt.com/connector/oauth/abc_123-XY', DEFAULT_CLIENT_POLICY));
  });

  it('refuses look-alikes of the allowed URIs', () => {
    for (const uri of [
      'https://chatgpt.com/connector/oauth/abc/extra',
      'https://chatgpt.com/connector/oauth/',
      'https://chatgpt.com.evil.example/connector_platform_oauth_redirect',
      'http://chatgpt.com/connector_platform_oauth_redirect',
      'https://chatgpt.com/connector_platform_oauth_redirect?x=1',
      'https://evil.example/callback',
      'https://chatgpt.com/connector/oauth/..%2F..%2Fevil',
    ]) {
      assert.equal(redirectUriAllowed(uri, DEFAULT_CLIENT_POLICY), false, uri);
    }
  });

  it('matches the ChatGPT connector pattern for one normalized segment only', () => {
    const base = 'https://chatgpt.com/connector/oauth/';
    for (const id of ['abc_123-XY', 'a.b', 'x~y', '...a', 'a'.repeat(128)]) assert.ok(redirectUriAllowed(base + id, DEFAULT_CLIENT_POLICY), id);
    for (const uri of [
      `${base}..`, `${base}.`, `${base}...`, `${base}%2e%2e`, `${base}.%2e`, `${base}%2E%2E`, `${base}..%2F..%2Fevil`, `${base}a%2Fb`, `${base}a%2fb`,
      `${base}a%5Cb`, `${base}a\\b`, `${base}..\\evil`, `${base}a/..`, `${base}a/../b`, `${base}./a`, `${base}a/`, `${base}a/b`, `${base}/a`,
      `${base}a?x=1`, `${base}a?`, `${base}a#f`, `${base}a#`, `${base}a%00`, `${base}a%20b`, `${base}a b`, `${base}a\tb`, `${base}a\nb`,
      `${base}${'a'.repeat(129)}`,
      'https://chatgpt.com:443/connector/oauth/a', 'https://chatgpt.com:8443/connector/oauth/a', 'https://user@chatgpt.com/connector/oauth/a',
      'https://user:pw@chatgpt.com/connector/oauth/a', 'https://CHATGPT.com/connector/oauth/a', 'https://chatgpt.com./connector/oauth/a',
      'https://chatgpt.com/connector/oauth/../oauth/a', 'https://chatgpt.com/connector/OAUTH/a', 'https://chatgpt.com/connector/oauth%2Fa',
      'https://chatgpt.com\\connector/oauth/a', 'https://evil.example/connector/oauth/a', 'https://evil.example#@chatgpt.com/connector/oauth/a',
      'https://chatgpt.com@evil.example/connector/oauth/a', 'http://chatgpt.com/connector/oauth/a', 'https://xn--chatgpt-.com/connector/oauth/a',
      'https:chatgpt.com/connector/oauth/a', 'https:/chatgpt.com/connector/oauth/a', '//chatgpt.com/connector/oauth/a', 'connector/oauth/a',
    ]) {
      assert.equal(redirectUriAllowed(uri, DEFAULT_CLIENT_POLICY), false, uri);
    }
  });

  it('allows RFC 8252 loopback redirects on any port only when the policy does', () => {
    assert.ok(isLoopbackRedirectUri('http://127.0.0.1:53123/callback'));
    assert.ok(isLoopbackRedirectUri('http://[::1]:8080/cb'));
    assert.ok(isLoopbackRedirectUri('http://localhost:3000/cb'));
    assert.equal(isLoopbackRedirectUri('http://127.0.0.2.evil.example/cb'), false);
    assert.equal(isLoopbackRedirectUri('https://127.0.0.1/cb'), false);
    assert.equal(redirectUriAllowed('http://127.0.0.1:5000/cb', { ...DEFAULT_CLIENT_POLICY, allowLoopbackRedirects: false }), false);
  });

  it('matches exact patterns exactly and wildcard patterns for one segment', () => {
    assert.ok(matchesRedirectPattern('https://app.example/cb', 'https://app.example/cb'));
    assert.equal(matchesRedirectPattern('https://app.example/cb/', 'https://app.example/cb'), false);
    assert.ok(matchesRedirectPattern('https://app.example/cb/one', 'https://app.example/cb/*'));
  });

  it('validates patterns a tenant admin configures', () => {
    assert.ok(isValidRedirectPattern('https://app.example/oauth/callback'));
    assert.ok(isValidRedirectPattern('https://app.example/oauth/*'));
    assert.equal(isValidRedirectPattern('http://app.example/cb'), false);
    assert.equal(isValidRedirectPattern('https://*.example/cb'), false);
    assert.equal(isValidRedirectPattern('https://app.example/cb#frag'), false);
    assert.equal(isValidRedirectPattern('javascript:alert(1)'), false);
  });
});

describe('client kind policy (the rule the authorization server and the gateway share)', () => {
  const ws = (clientPolicy?: object) => ({ workspaceId: 'w1', settings: clientPolicy ? { clientPolicy } : {} });

  it('accepts every kind by default, and a pre-registered client only in its own workspace', () => {
    assert.equal(clientKindRefusal('dynamic', undefined, ws()), undefined);
    assert.equal(clientKindRefusal('metadata-document', undefined, ws()), undefined);
    assert.equal(clientKindRefusal('preregistered', 'w1', ws()), undefined);
    assert.match(clientKindRefusal('preregistered', 'w2', ws()) ?? '', /another workspace/);
  });

  it('refuses the kinds a workspace turned off, and nothing else', () => {
    assert.match(clientKindRefusal('dynamic', undefined, ws({ allowDynamicRegistration: false })) ?? '', /dynamically registered/);
    assert.equal(clientKindRefusal('metadata-document', undefined, ws({ allowDynamicRegistration: false })), undefined);
    assert.match(clientKindRefusal('metadata-document', undefined, ws({ allowMetadataDocuments: false })) ?? '', /metadata documents/);
    assert.equal(clientKindRefusal('preregistered', 'w1', ws({ allowDynamicRegistration: false, allowMetadataDocuments: false })), undefined);
  });
});
