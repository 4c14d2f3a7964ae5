import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { RedisRateLimiter } from '../../libs/server/src/rate-limit/redis-rate-limiter';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisRateLimiter against the real Redis of this machine', () => {
  const errors: unknown[] = [];
  // A generous command timeout: these tests are about counting, and on a loaded machine the first command
  // (connect, then load the script) can outlast the production 250 ms, which fails open by design.
  const limiter = new RedisRateLimiter(REDIS_URL, (e) => errors.push(e), 10_000);
  afterAll(() => limiter.close());

  it('counts hits atomically across concurrent callers, as replicas would', async () => {
    const key = `test:${randomBytes(6).toString('hex')}`;
    const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.hit(key, 10, 5_000)));
    assert.equal(decisions.filter((d) => d.allowed).length, 10);
    assert.ok(decisions.every((d) => d.retryAfterSeconds >= 1 && d.retryAfterSeconds <= 5));
    expect(errors).toStrictEqual([]);
  });

  it('counts a hit of several units (a JSON-RPC batch) as that many, and starts the window with it', async () => {
    const key = `test:${randomBytes(6).toString('hex')}`;
    const first = await limiter.hit(key, 10, 5_000, 7);
    assert.equal(first.allowed, true);
    assert.ok(first.retryAfterSeconds >= 1 && first.retryAfterSeconds <= 5, 'the first hit set the expiry');
    assert.equal((await limiter.hit(key, 10, 5_000, 3)).allowed, true, 'ten units');
    assert.equal((await limiter.hit(key, 10, 5_000, 1)).allowed, false, 'the eleventh unit');
  });

  it('opens a new window when the old one expires', async () => {
    const key = `test:${randomBytes(6).toString('hex')}`;
    assert.equal((await limiter.hit(key, 1, 300)).allowed, true);
    assert.equal((await limiter.hit(key, 1, 300)).allowed, false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal((await limiter.hit(key, 1, 300)).allowed, true);
  });

  it('fails open, reporting the error, when Redis cannot be reached', async () => {
    const failures: unknown[] = [];
    const unreachable = new RedisRateLimiter('redis://127.0.0.1:1', (e) => failures.push(e), 100);
    const decision = await unreachable.hit('x', 1, 1000);
    assert.equal(decision.allowed, true);
    assert.ok(failures.length > 0);
    await unreachable.close();
  });
});
