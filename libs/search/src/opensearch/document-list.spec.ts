import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { documentListBody, wildcardContaining } from './document-list';

describe('OpenSearch document list query', () => {
  it('turns the filter into a lowercased "contains" pattern whose wildcard syntax is literal', () => {
    assert.equal(wildcardContaining('Handbook'), '*handbook*');
    assert.equal(wildcardContaining('50% * 2?'), '*50% \\* 2\\?*');
    assert.equal(wildcardContaining('a\\b'), '*a\\\\b*');
  });

  it('always filters on the workspace, pages after the cursor by id, and never asks for the text', () => {
    const body = documentListBody('ws-1', { filter: 'x', after: 'doc-9', limit: 21 }) as {
      size: number; _source: string[]; query: { bool: { filter: unknown[] } }; sort: unknown[];
    };
    assert.equal(body.size, 21);
    expect(body.query.bool.filter[0]).toStrictEqual({ term: { workspace_id: 'ws-1' } });
    expect(body.query.bool.filter[1]).toStrictEqual({ range: { id: { gt: 'doc-9' } } });
    expect(body.sort).toStrictEqual([{ id: { order: 'asc' } }]);
    assert.equal(body._source.includes('text'), false);
    assert.equal((documentListBody('ws-1', { limit: 5 }) as { query: { bool: { filter: unknown[] } } }).query.bool.filter.length, 1, 'no filter, no cursor: the workspace alone');
  });
});
