import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { errorMessage, JsonRpcErrorCode, parseMessage, preserializedResultMessage, resultMessage } from './json-rpc';

const request = (extra: Record<string, unknown>) => parseMessage({ jsonrpc: '2.0', method: 'ping', ...extra });

describe('parseMessage', () => {
  it('accepts a request with a string or integer id and defaults params to {}', () => {
    expect(request({ id: 7 })).toStrictEqual({ kind: 'request', request: { id: 7, method: 'ping', params: {} } });
    expect(request({ id: 'abc' })).toStrictEqual({ kind: 'request', request: { id: 'abc', method: 'ping', params: {} } });
    expect(request({ id: 0 })).toStrictEqual({ kind: 'request', request: { id: 0, method: 'ping', params: {} } });
    expect(request({ id: -3 })).toStrictEqual({ kind: 'request', request: { id: -3, method: 'ping', params: {} } });
    expect(request({ id: '' })).toStrictEqual({ kind: 'request', request: { id: '', method: 'ping', params: {} } });
    expect(request({ id: 1, params: { a: 1 } })).toStrictEqual({ kind: 'request', request: { id: 1, method: 'ping', params: { a: 1 } } });
  });

  it('rejects anything that is not a JSON object, with id null', () => {
    for (const value of ['ping', 42, null, true, [], [{ jsonrpc: '2.0', id: 1, method: 'ping' }], undefined]) {
      const parsed = parseMessage(value);
      assert.equal(parsed.kind, 'invalid', JSON.stringify(value));
      assert.equal((parsed as { id: unknown }).id, null);
    }
  });

  it('rejects a missing or wrong jsonrpc version but keeps a valid id for the error reply', () => {
    expect(parseMessage({ id: 5, method: 'ping' })).toStrictEqual({ kind: 'invalid', id: 5, message: 'jsonrpc must be "2.0"' });
    expect(parseMessage({ jsonrpc: '1.0', id: 'x', method: 'ping' })).toStrictEqual({ kind: 'invalid', id: 'x', message: 'jsonrpc must be "2.0"' });
    assert.equal(parseMessage({ jsonrpc: 2.0, id: 1, method: 'ping' }).kind, 'invalid');
    assert.equal(parseMessage({ jsonrpc: 2, id: 1, method: 'ping' }).kind, 'invalid');
  });

  it('rejects ids that are objects, arrays, booleans, floats, unsafe integers or strings over 256 characters', () => {
    for (const id of [{}, { a: 1 }, [1], true, 1.5, -0.1, 2 ** 53, Number.MAX_VALUE, 'x'.repeat(257), null]) {
      const parsed = request({ id });
      assert.equal(parsed.kind, 'invalid', `id ${JSON.stringify(id)}`);
      assert.equal((parsed as { id: unknown }).id, null, `id ${JSON.stringify(id)} must be answered with id null`);
      assert.match((parsed as { message: string }).message, /id must be a string/);
    }
    assert.equal(request({ id: 'x'.repeat(256) }).kind, 'request');
    assert.equal(request({ id: Number.MAX_SAFE_INTEGER }).kind, 'request');
  });

  it('treats a message without id as a notification and one with result or error as a response', () => {
    expect(parseMessage({ jsonrpc: '2.0', method: 'notifications/initialized' })).toStrictEqual({
      kind: 'notification',
      method: 'notifications/initialized',
    });
    expect(parseMessage({ jsonrpc: '2.0', id: 1, result: {} })).toStrictEqual({ kind: 'response' });
    expect(parseMessage({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'x' } })).toStrictEqual({ kind: 'response' });
  });

  it('rejects a missing, empty, non-string or over-long method', () => {
    for (const method of [undefined, '', 12, null, {}, 'm'.repeat(129)]) {
      const parsed = parseMessage({ jsonrpc: '2.0', id: 3, method });
      assert.deepEqual(parsed, { kind: 'invalid', id: 3, message: 'method must be a non-empty string' }, `method ${JSON.stringify(method)}`);
    }
    assert.equal(parseMessage({ jsonrpc: '2.0', id: 3, method: 'm'.repeat(128) }).kind, 'request');
  });

  it('rejects params that are not an object, for requests and notifications alike', () => {
    for (const params of [[], [1, 2], null, 'x', 5, false]) {
      assert.deepEqual(request({ id: 1, params }), { kind: 'invalid', id: 1, message: 'params must be an object' }, JSON.stringify(params));
      assert.equal(parseMessage({ jsonrpc: '2.0', method: 'notifications/x', params }).kind, 'invalid');
    }
  });

  it('never throws, whatever it is given', () => {
    const hostile: unknown[] = [
      Object.create(null),
      { jsonrpc: '2.0', id: 1, method: 'ping', params: Object.create(null) },
      JSON.parse('{"jsonrpc":"2.0","id":1,"method":"ping","__proto__":{"id":2}}'),
      { jsonrpc: '2.0', id: Symbol('x'), method: 'ping' },
      { jsonrpc: '2.0', id: 10n, method: 'ping' },
    ];
    for (const value of hostile) assert.doesNotThrow(() => parseMessage(value));
  });
});

describe('JSON-RPC message builders', () => {
  it('build valid JSON with the id as given, escaping string ids', () => {
    const id = 'a"b\\c\u2028';
    expect(JSON.parse(resultMessage(id, { ok: true }))).toStrictEqual({ jsonrpc: '2.0', id, result: { ok: true } });
    expect(JSON.parse(preserializedResultMessage(9, '{"tools":[]}'))).toStrictEqual({ jsonrpc: '2.0', id: 9, result: { tools: [] } });
    expect(JSON.parse(errorMessage(null, JsonRpcErrorCode.ParseError, 'bad'))).toStrictEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'bad' },
    });
  });

  it('use the JSON-RPC 2.0 error codes', () => {
    expect(JsonRpcErrorCode).toStrictEqual({
      ParseError: -32700,
      InvalidRequest: -32600,
      MethodNotFound: -32601,
      InvalidParams: -32602,
      InternalError: -32603,
      HeaderMismatch: -32020,
      UnsupportedProtocolVersion: -32022,
      RateLimited: -32029, // 2025 era: in the implementation-defined server-error range -32000…-32099
      RateLimitedApplication: -31029, // 2026 era: outside the range MCP 2026-07-28 reserves for its own codes
    });
  });
});
