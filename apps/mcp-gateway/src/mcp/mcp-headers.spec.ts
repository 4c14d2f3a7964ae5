import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { decodeHeaderValue, headerValue } from './mcp-headers';

describe('MCP request headers (2026-07-28 Streamable HTTP)', () => {
  it("decodes the specification's own =?base64?…?= examples", () => {
    assert.equal(decodeHeaderValue('=?base64?SGVsbG8sIOS4lueVjA==?='), 'Hello, 世界');
    assert.equal(decodeHeaderValue('=?base64?IHBhZGRlZCA=?='), ' padded ');
    assert.equal(decodeHeaderValue('=?base64?bGluZTEKbGluZTI=?='), 'line1\nline2');
    assert.equal(decodeHeaderValue('=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?='), '=?base64?literal?=');
  });

  it('takes a plain value as it is, and an incomplete sentinel literally', () => {
    assert.equal(decodeHeaderValue('search'), 'search');
    assert.equal(decodeHeaderValue('=?base64?'), '=?base64?');
    assert.equal(decodeHeaderValue('=?BASE64?c2VhcmNo?='), '=?BASE64?c2VhcmNo?=', 'the markers are case-sensitive');
  });

  it('refuses an encoded value that is not Base64 or not UTF-8', () => {
    assert.equal(decodeHeaderValue('=?base64?not base64!?='), null);
    assert.equal(decodeHeaderValue('=?base64?c2VhcmN?='), null, 'not a whole number of Base64 quanta');
    assert.equal(decodeHeaderValue(`=?base64?${Buffer.from([0xff, 0xfe]).toString('base64')}?=`), null);
  });

  it('reads header values trimmed, and a repeated header as one value that matches nothing', () => {
    assert.equal(headerValue({ 'mcp-method': '  tools/list\t' }, 'mcp-method'), 'tools/list');
    assert.equal(headerValue({}, 'mcp-method'), undefined);
    assert.equal(headerValue({ 'mcp-name': ['search', 'fetch'] } as never, 'mcp-name'), 'search, fetch');
  });
});
