import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { averagePrecision, ndcgAtK, recallAtK } from './metrics';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-4, `${actual} ≠ ${expected}`);

// Relevant: a, c and x; the run finds a at rank 1 and c at rank 3, never x.
const ranked = ['a', 'b', 'c', 'd', 'e'];
const relevant = new Set(['a', 'c', 'x']);

describe('ndcgAtK', () => {
  it('discounts by log2(rank + 1) and normalizes by the ideal over min(|relevant|, k)', () => {
    // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) + 1/log2(4) = 2.13093
    close(ndcgAtK(ranked, relevant, 5), 1.5 / 2.13093);
    // DCG@2 = 1; ideal@2 = 1 + 1/log2(3) = 1.63093
    close(ndcgAtK(ranked, relevant, 2), 1 / 1.63093);
  });

  it('is 1 for a perfect ranking and 0 when nothing relevant is found', () => {
    close(ndcgAtK(['c', 'a', 'x', 'b'], relevant, 10), 1);
    close(ndcgAtK(['b', 'd'], relevant, 10), 0);
    close(ndcgAtK([], relevant, 10), 0);
  });

  it('is 1 when the first k results are all relevant, even if more are relevant', () => {
    close(ndcgAtK(['a', 'c'], relevant, 2), 1);
  });

  it('is 0 for a query without relevant documents', () => {
    close(ndcgAtK(ranked, new Set(), 10), 0);
  });
});

describe('averagePrecision', () => {
  it('averages precision at each relevant hit over all relevant documents', () => {
    // (P@1 + P@3) / 3 = (1 + 2/3) / 3
    close(averagePrecision(ranked, relevant), (1 + 2 / 3) / 3);
  });

  it('ignores hits below the cut-off', () => {
    close(averagePrecision(ranked, relevant, 2), 1 / 3);
  });

  it('counts a document listed twice only once', () => {
    // a at 1, its duplicate at 2 is not a hit, c at 3: (1 + 2/3) / 2
    close(averagePrecision(['a', 'a', 'c'], new Set(['a', 'c'])), (1 + 2 / 3) / 2);
  });

  it('is 1 for a perfect ranking', () => {
    close(averagePrecision(['x', 'c', 'a'], relevant), 1);
  });
});

describe('recallAtK', () => {
  it('is the fraction of relevant documents in the first k', () => {
    close(recallAtK(ranked, relevant, 5), 2 / 3);
    close(recallAtK(ranked, relevant, 2), 1 / 3);
    close(recallAtK(ranked, relevant, 100), 2 / 3);
    close(recallAtK(['a', 'a', 'a'], relevant, 3), 1 / 3);
  });

  it('is 0 for a query without relevant documents', () => {
    close(recallAtK(ranked, new Set(), 5), 0);
  });
});
