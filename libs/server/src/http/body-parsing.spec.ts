import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { jsonNestsDeeperThan } from './body-parsing';

describe('jsonNestsDeeperThan', () => {
  it('counts object and array nesting outside strings', () => {
    assert.equal(jsonNestsDeeperThan(Buffer.from('{"a":[{"b":1}]}'), 3), false);
    assert.equal(jsonNestsDeeperThan(Buffer.from('{"a":[{"b":[1]}]}'), 3), true);
  });

  it('ignores brackets inside strings, including escaped quotes', () => {
    assert.equal(jsonNestsDeeperThan(Buffer.from('{"a":"[[[[[[\\"[[[["}'), 2), false);
  });

  it('handles hostile depth without recursion', () => {
    assert.equal(jsonNestsDeeperThan(Buffer.from('['.repeat(100_000)), 64), true);
  });
});
