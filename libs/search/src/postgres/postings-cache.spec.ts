import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { normalizeOptionalFields, type StoredDocument } from '@tessera/domain';
import { CONFIRMATION_TTL_MS, GenerationView, PostingsCache } from './postings-cache';
import { type LoadedPostings, WorkspaceIndex } from './scorer';

const OPEN = [{ acl: { users: [], groups: [] }, quarantined: false, docCount: 3, totalTitleLength: 6, totalBodyLength: 30, pks: null }];

/** A view with the index the search gives it once the workspace's classes are read. */
function indexed(view: GenerationView | undefined): GenerationView {
  if (view) view.index ??= new WorkspaceIndex(OPEN);
  return view!;
}

function postings(term: string, docPks: number[]): LoadedPostings {
  return { term, docPks, tfTitle: docPks.map(() => 1), tfBody: docPks.map(() => 2), titleLength: docPks.map(() => 2), bodyLength: docPks.map(() => 10) };
}

describe('PostingsCache', () => {
  it('keeps one view per workspace and replaces it only with a newer generation', () => {
    const cache = new PostingsCache(1 << 20);
    const first = indexed(cache.viewFor('ws', 4));
    cache.put(first, first.index!.build(postings('harbour', [1, 2])));
    assert.equal(cache.viewFor('ws', 4), first);
    assert.equal(cache.viewFor('ws', 3), undefined, 'an older answer never replaces what is held');
    const second = indexed(cache.viewFor('ws', 5));
    assert.notEqual(second, first);
    assert.equal(cache.get(second, 'harbour'), undefined, 'postings of the older generation are gone');
    cache.put(first, first.index!.build(postings('late', [1])));
    assert.equal(cache.get(cache.view('ws')!, 'late'), undefined, 'a replaced view cannot add postings');
  });

  it('evicts the least recently used terms beyond its budget', () => {
    const probe = new PostingsCache(1 << 20);
    const view = indexed(probe.viewFor('ws', 1));
    const one = view.index!.build(postings('one', [1, 2, 3]));
    const cache = new PostingsCache(3 * one.bytes + view.slotBytes + 10);
    const v = indexed(cache.viewFor('ws', 1));
    for (const term of ['one', 'two', 'three']) cache.put(v, v.index!.build(postings(term, [1, 2, 3])));
    assert.ok(cache.get(v, 'one'), 'recently used');
    cache.put(v, v.index!.build(postings('four', [1, 2, 3])));
    assert.equal(cache.get(v, 'two'), undefined, 'least recently used went first');
    assert.ok(cache.get(v, 'one') && cache.get(v, 'three') && cache.get(v, 'four'));
    assert.ok(cache.size <= cache.budgetBytes);
  });

  it('drops a workspace and everything it held', () => {
    const cache = new PostingsCache(1 << 20);
    const view = indexed(cache.viewFor('ws', 1));
    cache.put(view, view.index!.build(postings('x', [1])));
    cache.drop('ws');
    assert.equal(cache.view('ws'), undefined);
    assert.equal(cache.size, 0);
  });
});

describe('PostingsCache trust (fake change source)', () => {
  const changes = { live: true, epoch: 1 };
  const view = (cache: PostingsCache, generation = 4) => indexed(cache.viewFor('ws', generation));

  it('trusts a view only after the database confirmed it while the feed listened', () => {
    const source = { ...changes };
    const cache = new PostingsCache(1 << 20, 1 << 20, source);
    const v = view(cache);
    assert.equal(cache.current(v), false, 'never confirmed');
    cache.confirm(v, cache.ticket('ws'));
    assert.equal(cache.current(v), true);
    source.epoch = 2;
    assert.equal(cache.current(v), false, 'the feed listened again since: something may have been missed');
    cache.confirm(v, cache.ticket('ws'));
    assert.equal(cache.current(v), true);
    source.live = false;
    assert.equal(cache.current(v), false, 'not listening');
    cache.confirm(v, cache.ticket('ws'));
    source.live = true;
    source.epoch = 3; // listening again
    assert.equal(cache.current(v), false, 'a ticket taken while not listening confirms nothing');
  });

  it('refuses a confirmation when a change was announced while the database answered', () => {
    const cache = new PostingsCache(1 << 20, 1 << 20, { ...changes });
    const v = view(cache);
    const ticket = cache.ticket('ws');
    cache.changed('ws', 4); // announced for the generation held: kept, but no longer vouched for
    assert.equal(cache.view('ws'), v);
    cache.confirm(v, ticket);
    assert.equal(cache.current(v), false);
    cache.confirm(v, cache.ticket('ws'));
    assert.equal(cache.current(v), true);
  });

  it('drops an older view and its documents when a newer generation or the end of the index is announced', () => {
    const cache = new PostingsCache(1 << 20, 1 << 20, { ...changes });
    const v = view(cache);
    cache.putDocument(v, document('d1'));
    assert.ok(cache.documentSize > 0);
    cache.changed('ws', 5);
    assert.equal(cache.view('ws'), undefined);
    assert.equal(cache.documentSize, 0);
    const w = view(cache, 5);
    cache.changed('ws', null);
    assert.equal(cache.view('ws'), undefined, 'the index is gone');
    assert.equal(cache.current(w), false);
    view(cache, 6);
    cache.changed('ws');
    assert.equal(cache.view('ws'), undefined, 'a write made by this process drops what is held');
  });

  it('is never current without a change source, and expires a confirmation after its time to live on a monotonic clock', () => {
    const alone = new PostingsCache(1 << 20);
    const a = view(alone);
    alone.confirm(a, alone.ticket('ws'));
    assert.equal(alone.current(a), false);

    let now = 1_000_000;
    const cache = new PostingsCache(1 << 20, 1 << 20, { ...changes }, () => now);
    const v = view(cache);
    cache.confirm(v, cache.ticket('ws'));
    now += CONFIRMATION_TTL_MS - 1;
    assert.equal(cache.current(v), true);
    now += 1;
    assert.equal(cache.current(v), false);
  });

  it('forgets stamps of workspaces it holds nothing of, without letting an older ticket confirm', () => {
    const cache = new PostingsCache(1 << 20, 1 << 20, { ...changes });
    const v = view(cache);
    const early = cache.ticket('ws');
    cache.changed('ws', 4);
    for (let i = 0; i < 1_500; i++) cache.changed(`other-${i}`, 1);
    cache.confirm(v, early);
    assert.equal(cache.current(v), false, 'a ticket from before the change still confirms nothing');
    const w = indexed(cache.viewFor('gone', 1));
    const stale = cache.ticket('gone');
    cache.changed('gone'); // drops the view; its stamp may be pruned later
    for (let i = 0; i < 3_000; i++) cache.changed(`more-${i}`, 1);
    const again = indexed(cache.viewFor('gone', 2));
    cache.confirm(again, stale);
    assert.equal(cache.current(again), false, 'nor after its stamp was pruned');
    assert.notEqual(again, w);
    cache.confirm(again, cache.ticket('gone'));
    assert.equal(cache.current(again), true);
  });

  it('drops everything on a truncation announcement', () => {
    const cache = new PostingsCache(1 << 20, 1 << 20, { ...changes });
    const v = view(cache);
    const ticket = cache.ticket('ws');
    cache.changedAll();
    assert.equal(cache.view('ws'), undefined);
    const w = view(cache, 5);
    cache.confirm(w, ticket);
    assert.equal(cache.current(w), false);
    assert.notEqual(v, w);
  });

  it('reclaims a view whose postings were all evicted, even while it holds a fetched document', () => {
    const probe = new PostingsCache(1 << 20);
    const p = indexed(probe.viewFor('a', 1));
    const one = p.index!.build(postings('one', [1, 2, 3]));
    const cache = new PostingsCache(one.bytes * 4, 1 << 20, { ...changes });
    const a = indexed(cache.viewFor('a', 1));
    cache.put(a, a.index!.build(postings('one', [1, 2, 3])));
    cache.putDocument(a, document('held'));
    const b = indexed(cache.viewFor('b', 1));
    for (const term of ['x', 'y', 'z', 'w']) cache.put(b, b.index!.build(postings(term, [1, 2, 3])));
    assert.equal(cache.view('a'), undefined, "a's view went with its last term");
    assert.equal(cache.documentSize, 0);
    assert.ok(cache.get(b, 'w'), 'the newest postings are held');
  });

  it('keeps fetched documents within their own budget, least recently used out first', () => {
    const probe = new PostingsCache(1 << 20, 1 << 20, { ...changes });
    probe.putDocument(view(probe), document('probe'));
    const each = probe.documentSize;
    const cache = new PostingsCache(1 << 20, 4 * each + 1, { ...changes });
    const v = view(cache);
    for (const id of ['d1', 'd2', 'd3']) cache.putDocument(v, document(id));
    assert.ok(cache.document(v, 'd1')); // d1 is now the most recently used
    cache.putDocument(v, document('d4'));
    cache.putDocument(v, document('d5'));
    assert.equal(cache.document(v, 'd2'), undefined);
    assert.ok(cache.document(v, 'd1'));
    assert.ok(cache.documentSize <= 4 * each + 1);
    cache.putDocument(v, { ...document('huge'), text: 'x'.repeat(each * 4) });
    assert.equal(cache.document(v, 'huge'), undefined, 'a document over a quarter of the budget is not held');
  });

  it('counts a held text as V8 stores it: a byte a character for Latin-1, two for any wider text', () => {
    const size = (text: string) => {
      const cache = new PostingsCache(1 << 20, 1 << 24, { ...changes });
      cache.putDocument(view(cache), { ...document('d'), text });
      return cache.documentSize;
    };
    const empty = size('');
    assert.equal(size('a'.repeat(10_000)) - empty, 10_000);
    assert.equal(size('é'.repeat(10_000)) - empty, 10_000, 'Latin-1 is a byte a character in memory');
    assert.equal(size('€' + 'a'.repeat(9_999)) - empty, 20_000, 'one wider character makes every character two bytes');
  });
});

function document(id: string): StoredDocument {
  return {
    id,
    title: `Title ${id}`,
    text: `Text of ${id} `.repeat(20),
    url: null,
    metadata: {},
    acl: { users: [], groups: [] },
    contentHash: 'h',
    updatedAt: new Date(0),
    flags: [],
    quarantined: false,
    ...normalizeOptionalFields({}),
  };
}
