import { describe, expect, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { analyze } from '../../../libs/search/src/analysis';
import { Bm25fIndex } from './bm25f';
import { bm25Idf, OkapiBm25Index } from './okapi-bm25';

const DOCUMENTS = [
  { id: 'catalog', text: 'Library catalog design for library users' },
  { id: 'indexing', text: 'Automatic indexing of scientific documents' },
  { id: 'long', text: 'Indexing, as discussed at length in this very long survey of many topics in information science and documentation practice' },
  { id: 'unrelated', text: 'Budget planning for the fiscal year' },
];

describe('bm25Idf', () => {
  it('is ln(1 + (N - df + 0.5) / (df + 0.5)) and stays positive for common terms', () => {
    assert.ok(Math.abs(bm25Idf(3, 1) - Math.log(1 + 2.5 / 1.5)) < 1e-12);
    assert.ok(bm25Idf(10, 10) > 0);
    assert.ok(bm25Idf(10, 1) > bm25Idf(10, 5));
  });
});

describe('OkapiBm25Index', () => {
  const index = OkapiBm25Index.build(DOCUMENTS, analyze);

  it('returns only documents that share a term with the query', () => {
    expect(index.search('budget')).toStrictEqual(['unrelated']);
    expect(index.search('quantum')).toStrictEqual([]);
    expect(index.search('the of and')).toStrictEqual([]);
  });

  it('matches through the analyzer (stemming, case)', () => {
    expect(index.search('LIBRARIES')).toStrictEqual(['catalog']);
  });

  it('ranks a shorter document above a longer one with the same term frequency', () => {
    expect(index.search('indexing')).toStrictEqual(['indexing', 'long']);
  });

  it('ranks by the sum over query terms, rarer terms weighing more', () => {
    expect(index.search('indexing scientific')).toStrictEqual(['indexing', 'long']);
    assert.equal(index.search('automatic library')[0], 'catalog'); // "library" twice beats "automatic" once
  });

  it('respects the limit', () => {
    assert.equal(index.search('indexing', 1).length, 1);
  });
});

describe('Bm25fIndex', () => {
  const documents = [
    { id: 'title-match', fields: { title: 'Citation analysis', abstract: 'A study of journals and their readers.' } },
    { id: 'abstract-match', fields: { title: 'Journal studies', abstract: 'A study of citation counts and readers.' } },
  ];

  it('with one field behaves like single-field BM25', () => {
    const single = OkapiBm25Index.build(DOCUMENTS, analyze);
    const multi = new Bm25fIndex(DOCUMENTS.map(({ id, text }) => ({ id, fields: { text } })), analyze, { text: { weight: 1, b: 0.75 } });
    for (const query of ['indexing', 'library indexing', 'automatic library', 'budget year']) {
      assert.deepEqual(multi.search(query), single.search(query), query);
    }
  });

  it('ranks a title match first when the title weighs more', () => {
    const index = new Bm25fIndex(documents, analyze, { title: { weight: 3, b: 0.75 }, abstract: { weight: 1, b: 0.75 } });
    expect(index.search('citation')).toStrictEqual(['title-match', 'abstract-match']);
  });
});
