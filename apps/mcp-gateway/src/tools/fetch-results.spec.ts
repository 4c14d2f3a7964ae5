import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { normalizeOptionalFields, type StoredDocument } from '@tessera/domain';
import { FetchResultCache, fetchResult, MAX_FETCH_TEXT_CHARS } from './fetch-results';
import { serializeToolResult, toolResultBody } from './tool-result';

function storedDocument(overrides: Partial<StoredDocument> = {}): StoredDocument {
  return {
    id: 'doc-1',
    title: 'Expense "policy"',
    text: 'Receipts are due within 30 days.\nAsk finance\\accounts.',
    url: 'https://kb.example/doc-1',
    metadata: { team: 'finance' },
    acl: { users: [], groups: [] },
    contentHash: 'h',
    updatedAt: new Date(0),
    flags: [],
    quarantined: false,
    ...normalizeOptionalFields({}),
    ...overrides,
  };
}

describe('fetchResult', () => {
  it('returns the document as fetch promises it, serialized exactly as JSON.stringify would', () => {
    const result = fetchResult(storedDocument());
    const expected = { id: 'doc-1', title: 'Expense "policy"', text: 'Receipts are due within 30 days.\nAsk finance\\accounts.', url: 'https://kb.example/doc-1', metadata: { team: 'finance' } };
    expect(result.structuredContent).toStrictEqual(expected);
    expect(JSON.parse(result.content[0]!.text)).toStrictEqual(expected);
    assert.equal(serializeToolResult(result), JSON.stringify(result));
  });

  it('answers a document fetched again with the same JSON, per variant, and a changed document with its own', () => {
    const cache = new FetchResultCache(1 << 20);
    const result = (document: StoredDocument, policy: 'annotate' | 'quarantine' | 'serve' = 'annotate', workspace = 'ws-1') =>
      cache.resultFor(workspace, document, policy);
    const document = storedDocument({ flags: ['instruction-like'] });
    const annotated = serializeToolResult(result(document));
    const held = cache.size;
    const again = result({ ...document });
    assert.equal(cache.size, held, 'an equal document (another object) is answered from what is held');
    assert.equal(serializeToolResult(again), annotated);
    assert.equal(serializeToolResult(again), JSON.stringify(again), 'the text content is still the JSON of structuredContent');
    assert.deepEqual(again.structuredContent, JSON.parse(annotated).structuredContent, 'a held answer still reads as its value');
    assert.equal(again.structuredContent, again.structuredContent, 'built once');
    assert.equal(serializeToolResult(result(document, 'quarantine')), annotated, 'quarantine annotates what it serves, as annotate does');
    const plain = result(document, 'serve');
    assert.equal(serializeToolResult(plain), JSON.stringify(plain));
    expect((JSON.parse(annotated).structuredContent.metadata as Record<string, unknown>).flags).toStrictEqual(['instruction-like']);
    assert.equal((plain.structuredContent!.metadata as Record<string, unknown>).flags, undefined);
    // The document changed (a new content hash): served from what it holds now, never the older bytes.
    const changed = storedDocument({ flags: ['instruction-like'], title: 'Expense policy (v2)', contentHash: 'h2' });
    assert.equal(JSON.parse(serializeToolResult(result(changed))).structuredContent.title, 'Expense policy (v2)');
    // The same id and hash in another workspace is another document.
    const elsewhere = storedDocument({ title: 'Another workspace', flags: ['instruction-like'] });
    assert.equal(JSON.parse(serializeToolResult(result(elsewhere, 'annotate', 'ws-2'))).structuredContent.title, 'Another workspace');
  });

  it('keeps results within its budget, least recently used out first, and nothing with a budget of 0', () => {
    const one = new FetchResultCache(1 << 20);
    one.resultFor('ws', storedDocument({ id: 'probe' }));
    const each = one.size;
    const cache = new FetchResultCache(4 * each + 10);
    const body = (id: string) => toolResultBody(cache.resultFor('ws', storedDocument({ id })));
    const first = new Map(['d1', 'd2', 'd3', 'd4'].map((id) => [id, body(id)]));
    assert.equal(body('d1'), first.get('d1'), 'held: the same bytes'); // d1 is now the most recently used
    body('d5');
    assert.ok(cache.size <= cache.budgetBytes);
    assert.equal(body('d1'), first.get('d1'), 'still held');
    assert.equal(body('d4'), first.get('d4'), 'still held');
    assert.notEqual(body('d2'), first.get('d2'), 'd2, the least recently used, went first');
    const none = new FetchResultCache(0);
    none.resultFor('ws', storedDocument());
    assert.equal(none.size, 0);
    const huge = new FetchResultCache(4 * each);
    huge.resultFor('ws', storedDocument({ text: 'x'.repeat(4 * each) }));
    assert.equal(huge.size, 0, 'a result over a quarter of the budget is not held');
  });

  it('serializes awkward text exactly as JSON.stringify would, fetched once and again', () => {
    const text = '"quoted" \\ back\\slash\nline\r\n\t \u0000\u001f lone \ud800 emoji 😀 \u2028 </script>';
    const document = storedDocument({ id: 'a"b', title: text, text, metadata: { [text]: [text] } });
    for (let i = 0; i < 2; i++) {
      const result = fetchResult(document);
      assert.equal(serializeToolResult(result), JSON.stringify(result));
    }
  });

  it('shows no flags where there are none, whatever the policy', () => {
    const metadata = fetchResult(storedDocument(), 'annotate').structuredContent!.metadata as Record<string, unknown>;
    expect(metadata).toStrictEqual({ team: 'finance' });
  });

  it('truncates text beyond the limit and says so in the metadata', () => {
    const text = 'a'.repeat(MAX_FETCH_TEXT_CHARS) + 'tail';
    const result = fetchResult(storedDocument({ text }));
    assert.equal((result.structuredContent!.text as string).length, MAX_FETCH_TEXT_CHARS);
    expect(result.structuredContent!.metadata).toStrictEqual({ team: 'finance', truncated: true });
  });

  it('hands each fetch a result of its own: changing one changes no later answer', () => {
    const cache = new FetchResultCache(1 << 20);
    const document = storedDocument();
    const first = cache.resultFor('ws', document);
    const json = serializeToolResult(first);
    first.isError = true;
    first.content[0]!.text = 'changed';
    const second = cache.resultFor('ws', document);
    assert.equal(second.isError, undefined);
    assert.equal(serializeToolResult(second), json);
  });
});
