import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredDocument } from '@tessera/domain';
import { fetchResult, MAX_FETCH_TEXT_CHARS } from './fetch-results';
import { serializeToolResult } from './tool-result';

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
    ...overrides,
  };
}

describe('fetchResult', () => {
  it('returns the document as fetch promises it, serialized exactly as JSON.stringify would', () => {
    const result = fetchResult(storedDocument());
    const expected = { id: 'doc-1', title: 'Expense "policy"', text: 'Receipts are due within 30 days.\nAsk finance\\accounts.', url: 'https://kb.example/doc-1', metadata: { team: 'finance' } };
    assert.deepEqual(result.structuredContent, expected);
    assert.deepEqual(JSON.parse(result.content[0]!.text), expected);
    assert.equal(serializeToolResult(result), JSON.stringify(result));
  });

  it('answers a document fetched again with the same JSON, per variant, and an equal document read again with its own', () => {
    const document = storedDocument({ flags: ['instruction-like'] });
    const annotated = serializeToolResult(fetchResult(document, 'annotate'));
    const again = fetchResult(document, 'annotate');
    assert.equal(serializeToolResult(again), annotated);
    assert.equal(serializeToolResult(again), JSON.stringify(again), 'the text content is still the JSON of structuredContent');
    assert.equal(serializeToolResult(fetchResult(document, 'quarantine')), annotated, 'quarantine annotates what it serves, as annotate does');
    const plain = fetchResult(document, 'serve');
    assert.equal(serializeToolResult(plain), JSON.stringify(plain));
    assert.deepEqual((JSON.parse(annotated).structuredContent.metadata as Record<string, unknown>).flags, ['instruction-like']);
    assert.equal((plain.structuredContent!.metadata as Record<string, unknown>).flags, undefined);
    // Another object (the document read again after a change) is serialized from what it holds.
    const reread = storedDocument({ flags: ['instruction-like'], title: 'Expense policy (v2)' });
    assert.equal(JSON.parse(serializeToolResult(fetchResult(reread))).structuredContent.title, 'Expense policy (v2)');
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
    assert.deepEqual(metadata, { team: 'finance' });
  });

  it('truncates text beyond the limit and says so in the metadata', () => {
    const text = 'a'.repeat(MAX_FETCH_TEXT_CHARS) + 'tail';
    const result = fetchResult(storedDocument({ text }));
    assert.equal((result.structuredContent!.text as string).length, MAX_FETCH_TEXT_CHARS);
    assert.deepEqual(result.structuredContent!.metadata, { team: 'finance', truncated: true });
  });

  it('hands each fetch a result of its own: changing one changes no later answer', () => {
    const document = storedDocument();
    const first = fetchResult(document);
    const json = serializeToolResult(first);
    first.isError = true;
    first.content[0]!.text = 'changed';
    const second = fetchResult(document);
    assert.equal(second.isError, undefined);
    assert.equal(serializeToolResult(second), json);
  });
});
