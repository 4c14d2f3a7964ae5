import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { InMemoryRateLimiter } from './rate-limiter';

describe('InMemoryRateLimiter', () => {
  it('allows up to the limit per window and tells when to retry', async () => {
    const limiter = new InMemoryRateLimiter();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.hit('k', 3, 60_000, 1, 1_000));
    expect(results.map((r) => r.allowed)).toStrictEqual([true, true, true, false]);
    assert.equal(results[3]!.retryAfterSeconds, 60);
    assert.equal((await limiter.hit('k', 3, 60_000, 1, 61_001)).allowed, true, 'a new window');
    assert.equal((await limiter.hit('other', 3, 60_000, 1, 1_000)).allowed, true, 'keys are independent');
  });
});
