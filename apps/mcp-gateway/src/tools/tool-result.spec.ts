import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { jsonToolResult, serializeToolResult, toolError } from './tool-result';

describe('serializeToolResult', () => {
  it('produces exactly what JSON.stringify does, for JSON results and for errors', () => {
    const value = { id: 'a"b', title: 'Ünïcode \u2028 line', text: 'x'.repeat(1000), url: null, metadata: { n: 1, nested: { ok: true } } };
    for (const result of [jsonToolResult(value), jsonToolResult({ results: [] }), toolError('no document with id "x"')]) {
      assert.equal(serializeToolResult(result), JSON.stringify(result));
    }
  });

  it('escapes every character JSON needs escaped, twice over, as JSON.stringify would', () => {
    const awkward = [
      '"quoted" and \\"escaped\\"', 'back\\slash\\\\es\\', 'line\nbreak\r\ntab\t', '\u0000\u0001\u001f\u007f', 'lone \ud800 and \udfff surrogates',
      'emoji 😀 and \u2028\u2029', '\\u0041 looks like an escape', '</script>', '',
    ];
    for (const text of awkward) {
      const result = jsonToolResult({ id: text, title: text, text, url: text, metadata: { [text]: [text, { text }] } });
      assert.equal(serializeToolResult(result), JSON.stringify(result), JSON.stringify(text));
    }
  });
});
