import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kthLargestBelow } from './scorer';

describe('kthLargestBelow', () => {
  it('finds the k-th largest score below a bound, as a full sort would', () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 200; round++) {
      const scores = Float64Array.from({ length: Math.floor(random() * 300) }, () => Math.round(random() * 50) / 5);
      const k = 1 + Math.floor(random() * 60);
      const upper = random() < 0.3 ? Infinity : random() * 10;
      const below = Array.from(scores).filter((s) => s < upper).sort((a, b) => b - a);
      assert.equal(kthLargestBelow(scores, k, upper), below.length < k ? -Infinity : below[k - 1]);
    }
  });

  it('treats tied scores as one threshold, so a window never splits them', () => {
    assert.equal(kthLargestBelow(Float64Array.from([3, 2, 2, 2, 1]), 2, Infinity), 2);
    assert.equal(kthLargestBelow(Float64Array.from([]), 1, Infinity), -Infinity);
  });
});
