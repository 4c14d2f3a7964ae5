import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('runs at most its limit at once, the rest in arrival order, and every task to its own result', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const tasks = Array.from({ length: 5 }, (_, i) =>
      limit.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return i * 10;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toStrictEqual([0, 1]);
    expect(limit.load).toStrictEqual({ running: 2, waiting: 3 });
    while (started.length < 5 || releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(tasks)).toStrictEqual([0, 10, 20, 30, 40]);
    expect(started).toStrictEqual([0, 1, 2, 3, 4]);
    assert.equal(most, 2);
    expect(limit.load).toStrictEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot of a task that fails', async () => {
    const limit = new ConcurrencyLimit(1);
    await assert.rejects(limit.run(async () => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(await limit.run(async () => 'next'), 'next');
    expect(limit.load).toStrictEqual({ running: 0, waiting: 0 });
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new ConcurrencyLimit(bad), RangeError);
  });
});
