import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonToolResult, serializeToolResult, toolError } from './tool-result';

describe('serializeToolResult', () => {
  it('produces exactly what JSON.stringify does, for JSON results and for errors', () => {
    const value = { id: 'a"b', title: 'Ünïcode \u2028 line', text: 'x'.repeat(1000), url: null, metadata: { n: 1, nested: { ok: true } } };
    for (const result of [jsonToolResult(value), jsonToolResult({ results: [] }), toolError('no document with id "x"')]) {
      assert.equal(serializeToolResult(result), JSON.stringify(result));
    }
  });
});
