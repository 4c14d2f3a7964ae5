import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('refuses after the maximum failures within the window, and forgets them after it', () => {
    const throttle = new LoginThrottle(3, 1000);
    for (let i = 0; i < 3; i++) throttle.recordFailure(['a'], 100 + i);
    assert.ok(throttle.retryAfterMs(['a'], 200) > 0);
    assert.equal(throttle.retryAfterMs(['b'], 200), 0);
    assert.equal(throttle.retryAfterMs(['a'], 1200), 0);
  });

  it('clears an account on success', () => {
    const throttle = new LoginThrottle(1, 1000);
    throttle.recordFailure(['a'], 0);
    throttle.recordSuccess('a');
    assert.equal(throttle.retryAfterMs(['a'], 1), 0);
  });

  it("keeps counting an address's failures when someone signs in to their own account from it", () => {
    const throttle = new LoginThrottle(3, 60_000);
    for (const victim of ['v1', 'v2', 'v3']) throttle.recordFailure([`account:${victim}`, 'ip:198.51.100.7'], 10);
    throttle.recordSuccess('account:attacker');
    assert.ok(throttle.retryAfterMs(['account:v4', 'ip:198.51.100.7'], 20) > 0, 'the address is still throttled');
    assert.equal(throttle.retryAfterMs(['account:v4', 'ip:203.0.113.9'], 20), 0, 'another address is not');
  });
});
