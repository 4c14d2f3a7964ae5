import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, analyzeQuery, termFrequencies } from './analyzer';

describe('analyze', () => {
  it('Porter-stems English words', () => {
    assert.deepEqual(analyze('Running runners ran'), ['run', 'runner', 'ran']);
    assert.deepEqual(analyze('connected connections connecting'), ['connect', 'connect', 'connect']);
  });

  it('removes stop words', () => {
    assert.deepEqual(analyze('The retrieval of the documents is over'), ['retriev', 'document']);
    assert.deepEqual(analyze("We don't index John's"), ['index', 'john']);
  });

  it('applies NFKC before matching: full-width letters and ligatures', () => {
    assert.deepEqual(analyze('ＳＥＡＲＣＨ'), analyze('search'));
    assert.deepEqual(analyze('ﬁnancial'), analyze('financial'));
  });

  it('does not split a word at a zero-width character', () => {
    assert.deepEqual(analyze('pass\u200Bword'), ['password']);
    assert.deepEqual(analyze('ig\u00ADnore pre\u2060vious'), analyze('ignore previous'));
  });

  it('keeps accented words whole', () => {
    assert.deepEqual(analyze('café'), ['café']);
  });

  it('does not stem numbers, codes or non-Latin scripts', () => {
    assert.deepEqual(analyze('2026 1990s covid19'), ['2026', '1990s', 'covid19']);
    assert.deepEqual(analyze('книги библиотеки'), ['книги', 'библиотеки']);
    assert.deepEqual(analyze('βιβλιοθήκες'), ['βιβλιοθήκες']);
  });

  it('analyzes CJK and Thai into several terms', () => {
    assert.ok(analyze('我们正在研究信息检索系统').length >= 4);
    assert.ok(analyze('東京都に住んでいます').length >= 3);
    assert.ok(analyze('ภาษาไทยเป็นภาษาที่ยาก').length >= 4);
  });

  it('gives the same terms to a document and to a query with the same words', () => {
    const document = 'Indexing Strategies for Libraries';
    const queryTerms = analyzeQuery('library indexing strategy').map(({ term }) => term);
    assert.deepEqual(new Set(analyze(document)), new Set(queryTerms));
  });

  it('keeps stemming correctly after its memo fills up', () => {
    // More distinct Latin words than the memo holds, so it is cleared at least once.
    for (let batch = 0; batch < 7; batch++) {
      const words = Array.from({ length: 10_000 }, (_, index) => `${lettersFor(batch * 10_000 + index)}ing`);
      analyze(words.join(' '));
    }
    assert.deepEqual(analyze('Running runners ran'), ['run', 'runner', 'ran']);
  });
});

describe('analyzeQuery', () => {
  it('returns distinct terms in first-occurrence order weighted by repetition', () => {
    assert.deepEqual(analyzeQuery('search engines: the search engine of engines'), [
      { term: 'search', weight: 2 },
      { term: 'engin', weight: 3 },
    ]);
  });

  it('returns nothing for a query of stop words', () => {
    assert.deepEqual(analyzeQuery('what is it and why'), []);
  });
});

describe('termFrequencies', () => {
  it('counts occurrences in first-occurrence order', () => {
    const frequencies = termFrequencies(['b', 'a', 'b', 'c', 'b']);
    assert.deepEqual([...frequencies], [['b', 3], ['a', 1], ['c', 1]]);
  });
});

// 0 → "a", 25 → "z", 26 → "ba": distinct letter-only words for a number.
function lettersFor(value: number): string {
  let letters = '';
  let remaining = value;
  do {
    letters = String.fromCharCode(97 + (remaining % 26)) + letters;
    remaining = Math.floor(remaining / 26);
  } while (remaining > 0);
  return letters;
}
