import { describe, expect, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { benchQueryText, percentile } from './queries';

describe('benchQueryText', () => {
  it('collapses line breaks and runs of spaces', () => {
    expect(benchQueryText('  What problems\r\nand concerns   are there? ', 100)).toStrictEqual({
      text: 'What problems and concerns are there?',
      shortened: false,
    });
  });

  it('keeps a query that fits exactly', () => {
    expect(benchQueryText('abc def', 7)).toStrictEqual({ text: 'abc def', shortened: false });
  });

  it('cuts a long query at the last word boundary within the limit', () => {
    expect(benchQueryText('alpha beta gamma delta', 12)).toStrictEqual({ text: 'alpha beta', shortened: true });
    expect(benchQueryText('alpha beta gamma delta', 16)).toStrictEqual({ text: 'alpha beta gamma', shortened: true });
    const long = 'word '.repeat(400);
    const { text, shortened } = benchQueryText(long, 1000);
    assert.ok(shortened && text.length <= 1000 && text.endsWith('word'), text.slice(-20));
  });

  it('cuts inside a single overlong word only when there is no space', () => {
    expect(benchQueryText('x'.repeat(20), 8)).toStrictEqual({ text: 'x'.repeat(8), shortened: true });
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    assert.equal(percentile(values, 50), 5);
    assert.equal(percentile(values, 95), 10);
    assert.equal(percentile(values, 100), 10);
    assert.equal(percentile(values, 0), 1);
    assert.equal(percentile([42], 95), 42);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});
