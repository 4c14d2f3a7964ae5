import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { parsedBodyProblem, rawBodyProblem, requestTargetProblem, routeFamilyOf } from './hostile-input';

describe('hostile input: the edge rule', () => {
  it('lets ordinary request targets through, percent-encoded UTF-8 included', () => {
    for (const url of ['/', '/v1/tenants/acme?limit=5', '/v1/tenants/acme/users/ana%40acme.example/consents', '/x?q=Gr%C3%BC%C3%9Fe%20%F0%9F%98%80', '/x?q=100%', '/x?q=%zz']) {
      assert.equal(requestTargetProblem(url), undefined, url);
    }
  });

  it('refuses NUL, encoded surrogates, overlong and stray bytes once percent-decoded', () => {
    for (const url of ['/v1/%00', '/x?q=a%00', '/x?q=%ED%A0%80', '/x?q=%ed%b0%80', '/x?q=%C0%80', '/x?q=%80', '/x?q=%FF', '/x?q=%F4%90%80%80']) {
      assert.ok(requestTargetProblem(url), url);
    }
    assert.match(requestTargetProblem('/x?a=%00')!.message, /NUL/);
    assert.match(requestTargetProblem('/x?a=%ED%A0%80')!.message, /UTF-8/);
  });

  it('finds NUL and unpaired surrogates in parsed bodies, and raw bytes that are not UTF-8', () => {
    assert.match(parsedBodyProblem({ client: { name: 'x\u0000' } })!.message, /client\.name contains a NUL/);
    assert.ok(parsedBodyProblem(['\uD800']));
    assert.equal(parsedBodyProblem({ name: 'Grüße 😀' }), undefined);
    assert.equal(rawBodyProblem(Buffer.from([0x22, 0xff, 0x22]), false)?.undecodable, true);
    assert.ok(rawBodyProblem(Buffer.from('client_id=%00'), true));
    assert.equal(rawBodyProblem(Buffer.from('client_id=abc&x=%C3%A9'), true), undefined);
  });

  it('answers each family in its callers\' shape', () => {
    assert.equal(routeFamilyOf('/mcp/acme/kb'), 'mcp');
    assert.equal(routeFamilyOf('/oauth/token'), 'oauth');
    assert.equal(routeFamilyOf('/.well-known/oauth-authorization-server'), 'oauth');
    assert.equal(routeFamilyOf('/v1/tenants'), 'api');
    assert.equal(routeFamilyOf('/.well-known/oauth-protected-resource/mcp/acme/kb'), 'api');
  });
});
