import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { findUnsafeText, storableText, storableValue, unsafeTextProblem } from './text-safety';

describe('text safety: NUL and unpaired surrogates', () => {
  it('finds NUL and unpaired surrogates, and accepts paired ones', () => {
    assert.match(unsafeTextProblem('x\u0000')!, /NUL/);
    assert.match(unsafeTextProblem('\uD800')!, /surrogate/);
    assert.match(unsafeTextProblem('a\uDC00b')!, /surrogate/);
    assert.match(unsafeTextProblem('\uDC00\uD800')!, /surrogate/, 'reversed pair');
    assert.equal(unsafeTextProblem('😀 emoji, é, 中文, \t\n'), undefined);
  });

  it('reports where in a JSON value, keys included', () => {
    expect(findUnsafeText({ a: [1, 'ok', { id: 'x\u0000' }] })).toStrictEqual({ path: 'a[2].id', problem: 'contains a NUL character' });
    assert.equal(findUnsafeText({ ['k\uD800']: 1 })?.problem, 'contains an unpaired UTF-16 surrogate (not valid Unicode)');
    assert.equal(findUnsafeText({ a: ['fine', 2, null, true] }), undefined);
  });

  it('makes text storable with U+FFFD and leaves good text alone', () => {
    assert.equal(storableText('x\u0000y\uD800z😀'), 'x\uFFFDy\uFFFDz😀');
    const input = { ['k\u0000']: ['\uDC00', 3], ok: 'fine' };
    expect(storableValue(input)).toStrictEqual({ ['k\uFFFD']: ['\uFFFD', 3], ok: 'fine' });
    assert.equal(input.ok, 'fine');
    assert.equal(findUnsafeText(storableValue(input)), undefined);
    assert.equal(JSON.stringify(storableValue({ id: 'x\u0000' })), '{"id":"x\uFFFD"}');
  });
});
