import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import {
  ApiError,
  backoffDelayMs,
  DEFAULT_RETRY_OPTIONS,
  isRejectedBeforeProcessing,
  isTransientError,
  NetworkError,
  parseRetryAfter,
  withRetry,
} from './api-client';

describe('backoffDelayMs', () => {
  const options = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles each attempt, with jitter between half and the full step', () => {
    assert.equal(backoffDelayMs(1, { ...options, random: () => 0 }, undefined), 50);
    assert.equal(backoffDelayMs(1, { ...options, random: () => 1 }, undefined), 100);
    assert.equal(backoffDelayMs(3, { ...options, random: () => 1 }, undefined), 400);
  });

  it('caps the step at maxDelayMs', () => {
    assert.equal(backoffDelayMs(10, { ...options, random: () => 1 }, undefined), 1000);
  });

  it('waits at least Retry-After, bounded by maxRetryAfterMs', () => {
    const error = (ms: number) => new ApiError(503, 'unavailable', 'busy', ms);
    assert.equal(backoffDelayMs(1, { ...options, random: () => 0 }, error(3000)), 3000);
    assert.equal(backoffDelayMs(1, { ...options, maxRetryAfterMs: 2000 }, error(3_600_000)), 2000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('7'), 7000);
    const now = Date.parse('2024-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('retry classification', () => {
  it('treats 429/502/503/504 and network errors as transient, others not', () => {
    for (const status of [429, 502, 503, 504]) assert.ok(isTransientError(new ApiError(status, 'x', 'x')));
    for (const status of [400, 401, 404, 409, 413, 500]) assert.ok(!isTransientError(new ApiError(status, 'x', 'x')));
    assert.ok(isTransientError(new NetworkError('reset', 'ECONNRESET')));
    assert.ok(!isTransientError(new Error('bug')));
  });

  it('retries non-idempotent creates only when the server surely did nothing', () => {
    assert.ok(isRejectedBeforeProcessing(new ApiError(503, 'x', 'x')));
    assert.ok(isRejectedBeforeProcessing(new NetworkError('refused', 'ECONNREFUSED')));
    assert.ok(!isRejectedBeforeProcessing(new ApiError(502, 'x', 'x')));
    assert.ok(!isRejectedBeforeProcessing(new NetworkError('reset', 'ECONNRESET')));
  });
});

describe('withRetry', () => {
  it('stops after maxAttempts and rethrows the last error', async () => {
    const delays: number[] = [];
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new ApiError(503, 'unavailable', `attempt ${calls}`);
        },
        { sleep: async (ms) => void delays.push(ms), random: () => 1, baseDelayMs: 10 },
      ),
      /attempt 5/,
    );
    assert.equal(calls, 5);
    expect(delays).toStrictEqual([10, 20, 40, 80]);
  });
});
