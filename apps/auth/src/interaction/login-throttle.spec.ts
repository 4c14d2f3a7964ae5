import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
    throttle.recordSuccess(['a']);
    assert.equal(throttle.retryAfterMs(['a'], 1), 0);
  });
});
