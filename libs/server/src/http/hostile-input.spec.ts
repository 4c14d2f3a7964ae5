import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { jsonTextProblem, parsedBodyProblem, rawBodyProblem, requestTargetProblem, routeFamilyOf } from './hostile-input';

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

  it('jsonTextProblem skips the walk only where no NUL or unpaired surrogate can be (text without a \\u escape)', () => {
    // Raw control characters are not JSON: the parser refuses them before any walk.
    assert.throws(() => JSON.parse('{"a":"x\u0000"}'));
    const pieces = ['plain', 'x\u0000', '\uD800', 'a\uDC00b', '\uDC00\uD800', '\uD83D\uDE00', 'é', '\\u0041', 'back\\slash'];
    let checked = 0;
    for (const a of pieces) {
      for (const b of pieces) {
        for (const value of [{ [a]: b }, [a, { b }], a]) {
          const text = JSON.stringify(value);
          const parsed: unknown = JSON.parse(text);
          assert.deepEqual(jsonTextProblem(text, parsed), parsedBodyProblem(parsed), text);
          checked++;
        }
      }
    }
    assert.equal(checked, pieces.length * pieces.length * 3);
    // An escape that spells harmless text is walked and passes; an escaped NUL is found.
    assert.equal(jsonTextProblem('{"a":"\\u0041"}', { a: 'A' }), undefined);
    assert.match(jsonTextProblem('{"a":"\\u0000"}', { a: '\u0000' })!.message, /field a contains a NUL/);
  });
});
