import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { analyze } from '@tessera/search';
import { benchQueries, buildCorpus, seededRandom, shuffled, syntheticVocabulary, zipfSampler } from './corpus';

describe('benchmark corpus', () => {
  const corpus = buildCorpus({ documents: 300 });
  const documents = [...corpus.documents()];

  it('is the same on every run (seeded), and differs with another seed', () => {
    const again = [...buildCorpus({ documents: 300 }).documents()];
    expect(again).toStrictEqual(documents);
    const other = [...buildCorpus({ documents: 300, seed: 1 }).documents()];
    expect(other[0]!.text).not.toStrictEqual(documents[0]!.text);
  });

  it('makes documents of 1–20 KB with unique ids, titles and urls', () => {
    assert.equal(documents.length, 300);
    assert.equal(new Set(documents.map((d) => d.id)).size, 300);
    for (const d of documents) {
      const bytes = Buffer.byteLength(d.text);
      assert.ok(bytes >= 1024 && bytes <= 20 * 1024, `${d.id}: ${bytes} bytes`);
      assert.ok(d.title.split(' ').length >= 3);
      assert.match(d.url, /^https:\/\/docs\.bench\.example\/doc-\d{6}$/);
    }
    const mean = documents.reduce((n, d) => n + d.text.length, 0) / documents.length;
    assert.ok(mean > 8_000 && mean < 13_000, `mean size ${mean}`);
  });

  it('restricts about one document in ten to the group', () => {
    const big = buildCorpus({ documents: 5_000 });
    const share = big.restrictedIds.size / 5_000;
    assert.ok(share > 0.08 && share < 0.12, `share ${share}`);
    for (const d of documents) {
      expect(d.acl).toStrictEqual(corpus.restrictedIds.has(d.id) ? { groups: ['bench-restricted'] } : undefined);
    }
  });

  it('uses a vocabulary of tens of thousands of distinct words that survive analysis', () => {
    assert.equal(new Set(corpus.vocabulary).size, 40_000);
    const sample = corpus.vocabulary.slice(0, 2_000);
    const analyzed = sample.filter((w) => analyze(w).length === 1);
    assert.ok(analyzed.length / sample.length > 0.99, 'words are not stop words and stay single terms');
  });

  it('draws words with a Zipf law: the rank-1 word is about twice as frequent as the rank-2 word', () => {
    const draw = zipfSampler(1_000, 1, seededRandom(3));
    const counts = new Array<number>(1_000).fill(0);
    for (let i = 0; i < 200_000; i++) counts[draw()]!++;
    const ratio = counts[0]! / counts[1]!;
    assert.ok(ratio > 1.8 && ratio < 2.2, `ratio ${ratio}`);
    assert.ok(counts[0]! > counts[9]! * 8);
  });

  it('builds 2–4 word queries of distinct mid-frequency words', () => {
    const queries = benchQueries(corpus, 200);
    assert.equal(queries.length, 200);
    assert.equal(new Set(queries).size, 200);
    const band = new Set(corpus.vocabulary.slice(500, 5_000));
    for (const q of queries) {
      const words = q.split(' ');
      assert.ok(words.length >= 2 && words.length <= 4, q);
      assert.equal(new Set(words).size, words.length);
      for (const w of words) assert.ok(band.has(w), `${w} is mid-frequency`);
    }
    expect(benchQueries(corpus, 200)).toStrictEqual(queries);
  });

  it('shuffles deterministically without losing items', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = shuffled(items, 7);
    expect(shuffled(items, 7)).toStrictEqual(a);
    expect(a).not.toStrictEqual(items);
    expect([...a].sort((x, y) => x - y)).toStrictEqual(items);
  });

  it('makes pronounceable words, shortest first', () => {
    const words = syntheticVocabulary(1_000, seededRandom(9));
    assert.ok(words.every((w) => /^[a-z]{4,}$/.test(w)));
    for (let i = 1; i < words.length; i++) assert.ok(words[i - 1]!.length <= words[i]!.length);
  });
});
