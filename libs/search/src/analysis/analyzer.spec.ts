import { describe, expect, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { analyze, analyzeQuery, termFrequencies } from './analyzer';

describe('analyze', () => {
  it('Porter-stems English words', () => {
    expect(analyze('Running runners ran')).toStrictEqual(['run', 'runner', 'ran']);
    expect(analyze('connected connections connecting')).toStrictEqual(['connect', 'connect', 'connect']);
  });

  it('removes stop words', () => {
    expect(analyze('The retrieval of the documents is over')).toStrictEqual(['retriev', 'document']);
    expect(analyze("We don't index John's")).toStrictEqual(['index', 'john']);
  });

  it('applies NFKC before matching: full-width letters and ligatures', () => {
    expect(analyze('ＳＥＡＲＣＨ')).toStrictEqual(analyze('search'));
    expect(analyze('ﬁnancial')).toStrictEqual(analyze('financial'));
  });

  it('does not split a word at a zero-width character', () => {
    expect(analyze('pass\u200Bword')).toStrictEqual(['password']);
    expect(analyze('ig\u00ADnore pre\u2060vious')).toStrictEqual(analyze('ignore previous'));
  });

  it('keeps accented words whole', () => {
    expect(analyze('café')).toStrictEqual(['café']);
  });

  it('does not stem numbers, codes or non-Latin scripts', () => {
    expect(analyze('2026 1990s covid19')).toStrictEqual(['2026', '1990s', 'covid19']);
    expect(analyze('книги библиотеки')).toStrictEqual(['книги', 'библиотеки']);
    expect(analyze('βιβλιοθήκες')).toStrictEqual(['βιβλιοθήκες']);
  });

  it('analyzes CJK and Thai into several terms', () => {
    assert.ok(analyze('我们正在研究信息检索系统').length >= 4);
    assert.ok(analyze('東京都に住んでいます').length >= 3);
    assert.ok(analyze('ภาษาไทยเป็นภาษาที่ยาก').length >= 4);
  });

  it('gives the same terms to a document and to a query with the same words', () => {
    const document = 'Indexing Strategies for Libraries';
    const queryTerms = analyzeQuery('library indexing strategy').map(({ term }) => term);
    expect(new Set(analyze(document))).toStrictEqual(new Set(queryTerms));
  });

  it('keeps stemming correctly after its memo fills up', () => {
    // More distinct Latin words than the memo holds, so it is cleared at least once.
    for (let batch = 0; batch < 7; batch++) {
      const words = Array.from({ length: 10_000 }, (_, index) => `${lettersFor(batch * 10_000 + index)}ing`);
      analyze(words.join(' '));
    }
    expect(analyze('Running runners ran')).toStrictEqual(['run', 'runner', 'ran']);
  });
});

describe('analyzeQuery', () => {
  it('returns distinct terms in first-occurrence order weighted by repetition', () => {
    expect(analyzeQuery('search engines: the search engine of engines')).toStrictEqual([
      { term: 'search', weight: 2 },
      { term: 'engin', weight: 3 },
    ]);
  });

  it('returns nothing for a query of stop words', () => {
    expect(analyzeQuery('what is it and why')).toStrictEqual([]);
  });
});

describe('termFrequencies', () => {
  it('counts occurrences in first-occurrence order', () => {
    const frequencies = termFrequencies(['b', 'a', 'b', 'c', 'b']);
    expect([...frequencies]).toStrictEqual([['b', 3], ['a', 1], ['c', 1]]);
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
