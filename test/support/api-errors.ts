import assert from 'node:assert/strict';
import type { ApiResponse } from './platform';

/** A tenant API refusal: this status, exactly `{code, message}`, and (if given) a message that matches. */
export function assertError(response: ApiResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(response.status, status, `${response.status} ${response.text.slice(0, 300)}`);
  assert.equal(response.json?.code, code, response.text.slice(0, 300));
  assert.equal(typeof response.json?.message, 'string');
  assert.deepEqual(Object.keys(response.json).sort(), ['code', 'message'], 'an error is exactly {code, message}');
  if (message) assert.match(response.json.message, message);
}
