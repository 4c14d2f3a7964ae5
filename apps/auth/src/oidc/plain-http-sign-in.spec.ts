import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { isPlainHttpSignIn } from './plain-http-sign-in';

describe('sign-in over plain http for an https PUBLIC_URL', () => {
  it('is refused on the routes that set Secure cookies only', () => {
    for (const path of ['/oauth/authorize', '/oauth/authorize/abc123', '/oauth/logout', '/oauth/logout/confirm']) {
      assert.equal(isPlainHttpSignIn(true, false, path), true, path);
    }
    for (const path of ['/oauth/token', '/oauth/register', '/oauth/jwks', '/oauth/par', '/oauth/authorizer', '/.well-known/openid-configuration']) {
      assert.equal(isPlainHttpSignIn(true, false, path), false, path);
    }
  });

  it('is not refused over https (or a forwarded https a trusted proxy vouches for), nor when PUBLIC_URL is http', () => {
    assert.equal(isPlainHttpSignIn(true, true, '/oauth/authorize'), false);
    assert.equal(isPlainHttpSignIn(false, false, '/oauth/authorize'), false);
  });
});
