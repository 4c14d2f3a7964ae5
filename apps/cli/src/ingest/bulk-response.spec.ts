import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { toBatchEntry, type Batch } from './batching';
import { interpretBulkResponse } from './bulk-response';

const batch: Batch = {
  entries: ['a', 'b', 'c', 'd'].map((id) => toBatchEntry({ document: { id, title: id, text: 'x' }, source: `${id}.md` })),
  bytes: 0,
};

describe('interpretBulkResponse', () => {
  it('maps 1-based result lines back to the documents, in any order', () => {
    const outcome = interpretBulkResponse(batch, {
      summary: { received: 4, created: 1, updated: 1, unchanged: 1, failed: 1 },
      results: [
        { line: 4, id: 'd', status: 'unchanged' },
        { line: 1, id: 'a', status: 'created' },
        { line: 3, id: 'c', status: 'failed', error: { code: 'too_long', message: 'text exceeds 1 MB' } },
        { line: 2, id: 'b', status: 'updated' },
      ],
    });
    expect(outcome.counts).toStrictEqual({ created: 1, updated: 1, unchanged: 1 });
    expect(outcome.failures.map((failure) => [failure.entry.document.id, failure.message])).toStrictEqual([['c', 'text exceeds 1 MB (too_long)']]);
  });

  it('treats missing or unknown results as failures rather than silently counting them', () => {
    const outcome = interpretBulkResponse(batch, { results: [{ line: 1, status: 'created' }, { line: 2, status: 'queued' }] });
    expect(outcome.counts).toStrictEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(outcome.failures.map((failure) => failure.entry.document.id)).toStrictEqual(['b', 'c', 'd']);
    assert.match(outcome.failures[0].message, /unexpected status "queued"/);
    assert.match(outcome.failures[1].message, /no result returned/);
  });

  it('fails the whole batch when the response has no results list', () => {
    assert.equal(interpretBulkResponse(batch, { ok: true }).failures.length, 4);
    assert.equal(interpretBulkResponse(batch, undefined).failures.length, 4);
  });
});
