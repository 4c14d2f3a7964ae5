import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { type AclClass, kthLargestBelow, WorkspaceIndex } from './scorer';
import type { ReaderFilter } from '../search-backend.port';

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

describe('WorkspaceIndex', () => {
  const open = { acl: { users: [], groups: [] }, quarantined: false };
  const loaded = (term: string, docPks: number[], tfTitle = docPks.map(() => 1)) => ({
    term,
    docPks,
    tfTitle,
    tfBody: docPks.map(() => 2),
    titleLength: docPks.map(() => 2),
    bodyLength: docPks.map((pk) => 10 + pk),
  });
  const anyone: ReaderFilter = { identifiers: ['ann@example.com'], groups: [] };
  const byPk = (c: { pks: Float64Array; scores: Float64Array }) => new Map(Array.from(c.pks, (pk, i) => [pk, c.scores[i]!]));

  it('scores documents by summed term weights and leaves its scratch space clean', () => {
    const index = new WorkspaceIndex([{ ...open, docCount: 3, totalTitleLength: 6, totalBodyLength: 60, pks: null }]);
    const readership = index.readership(anyone);
    const a = index.weigh(index.build(loaded('a', [10, 20])), readership);
    const b = index.weigh(index.build(loaded('b', [20, 30])), readership);
    const first = byPk(index.score([{ weights: a, weight: 1 }, { weights: b, weight: 1 }]));
    expect([...first.keys()].sort()).toStrictEqual([10, 20, 30]);
    assert.ok(first.get(20)! > first.get(10)!, 'a document with both terms leads');
    const again = byPk(index.score([{ weights: a, weight: 1 }, { weights: b, weight: 1 }]));
    assert.deepEqual([...again], [...first], 'no score leaks from one search into the next');
  });

  it("gives a reader the scores of an index of what it may read alone: other classes change neither its weights nor its candidates", () => {
    // Documents 1–3 are open; 4 and 5 belong to the board; 6 is quarantined.
    const classes: AclClass[] = [
      { ...open, docCount: 3, totalTitleLength: 6, totalBodyLength: 36, pks: null },
      { acl: { users: [], groups: ['board'] }, quarantined: false, docCount: 2, totalTitleLength: 4, totalBodyLength: 29, pks: [4, 5] },
      { acl: { users: [], groups: [] }, quarantined: true, docCount: 1, totalTitleLength: 2, totalBodyLength: 16, pks: [6] },
    ];
    const full = new WorkspaceIndex(classes);
    const alone = new WorkspaceIndex([classes[0]!]);
    const score = (index: WorkspaceIndex, pks: number[], reader = anyone) => {
      const readership = index.readership(reader);
      const postings = index.build(loaded('budget', pks, pks.map((pk) => pk % 3)));
      return byPk(index.score([{ weights: index.weigh(postings, readership), weight: 1 }]));
    };
    expect([...score(full, [1, 2, 3, 4, 5, 6])]).toStrictEqual([...score(alone, [1, 2, 3])]);
    const member = score(full, [1, 2, 3, 4, 5, 6], { identifiers: ['bo@example.com'], groups: ['board'] });
    assert.deepEqual([...member.keys()].sort(), [1, 2, 3, 4, 5], 'a member reads the board class too, never the quarantined one');
    assert.notEqual(member.get(1), score(alone, [1, 2, 3]).get(1), "a member's statistics count the board's documents");
    assert.equal(full.readership({ identifiers: [], groups: [] }).key, full.readership(anyone).key, 'readers admitted alike share a key');
  });
});
