import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CollectionStats, LoadedPostings, PostingsCache } from './postings-cache';

const stats = (generation: number): CollectionStats => ({ generation, docCount: 3, totalTitleLength: 6, totalBodyLength: 30 });

function postings(term: string, docPks: number[]): LoadedPostings {
  return { term, docPks, tfTitle: docPks.map(() => 1), tfBody: docPks.map(() => 2), titleLength: docPks.map(() => 2), bodyLength: docPks.map(() => 10) };
}

describe('PostingsCache', () => {
  it('keeps one view per workspace and replaces it only with a newer generation', () => {
    const cache = new PostingsCache(1 << 20);
    const first = cache.viewFor('ws', stats(4))!;
    cache.put(first, first.build(postings('harbour', [1, 2])));
    assert.equal(cache.viewFor('ws', stats(4)), first);
    assert.equal(cache.viewFor('ws', stats(3)), undefined, 'an older answer never replaces what is held');
    const second = cache.viewFor('ws', stats(5))!;
    assert.notEqual(second, first);
    assert.equal(cache.get(second, 'harbour'), undefined, 'postings of the older generation are gone');
    cache.put(first, first.build(postings('late', [1])));
    assert.equal(cache.get(cache.view('ws')!, 'late'), undefined, 'a replaced view cannot add postings');
  });

  it('evicts the least recently used terms beyond its budget', () => {
    const probe = new PostingsCache(1 << 20);
    const view = probe.viewFor('ws', stats(1))!;
    const one = view.build(postings('one', [1, 2, 3]));
    const cache = new PostingsCache(3 * one.bytes + 3 * 64 + 10);
    const v = cache.viewFor('ws', stats(1))!;
    for (const term of ['one', 'two', 'three']) cache.put(v, v.build(postings(term, [1, 2, 3])));
    assert.ok(cache.get(v, 'one'), 'recently used');
    cache.put(v, v.build(postings('four', [1, 2, 3])));
    assert.equal(cache.get(v, 'two'), undefined, 'least recently used went first');
    assert.ok(cache.get(v, 'one') && cache.get(v, 'three') && cache.get(v, 'four'));
    assert.ok(cache.size <= cache.budgetBytes);
  });

  it('drops a workspace and everything it held', () => {
    const cache = new PostingsCache(1 << 20);
    const view = cache.viewFor('ws', stats(1))!;
    cache.put(view, view.build(postings('x', [1])));
    cache.drop('ws');
    assert.equal(cache.view('ws'), undefined);
    assert.equal(cache.size, 0);
  });

  it('scores documents by summed term weights and leaves its scratch space clean', () => {
    const cache = new PostingsCache(1 << 20);
    const view = cache.viewFor('ws', stats(1))!;
    const a = view.build(postings('a', [10, 20]));
    const b = view.build(postings('b', [20, 30]));
    const first = view.score([{ postings: a, weight: 1 }, { postings: b, weight: 1 }]);
    const byPk = new Map(Array.from(first.pks, (pk, i) => [pk, first.scores[i]!]));
    assert.deepEqual([...byPk.keys()].sort(), [10, 20, 30]);
    assert.ok(byPk.get(20)! > byPk.get(10)!, 'a document with both terms leads');
    assert.ok(Math.abs(byPk.get(20)! - byPk.get(10)! - byPk.get(30)!) < 1e-12);
    const again = view.score([{ postings: a, weight: 1 }, { postings: b, weight: 1 }]);
    assert.deepEqual(Array.from(again.scores), Array.from(first.scores), 'no score leaks from one search into the next');
  });
});
