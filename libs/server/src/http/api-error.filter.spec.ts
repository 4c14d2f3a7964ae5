import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { TesseraError, UnavailableError } from '@tessera/domain';
import { ApiErrorFilter, RETRY_AFTER_SECONDS } from './api-error.filter';

/** The filter's answer, through a recording stand-in for Express's response. */
function answer(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const response = {
    headersSent: false,
    set(name: string, value: string) {
      sent.headers[name] = value;
      return response;
    },
    status(status: number) {
      sent.status = status;
      return response;
    },
    json(body: unknown) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({}) }) } as unknown as ArgumentsHost;
  new ApiErrorFilter().catch(exception, host);
  return sent;
}

describe('ApiErrorFilter', () => {
  it('answers an outage with 503, Retry-After and the house shape', () => {
    const sent = answer(new UnavailableError('write', 'connection refused'));
    assert.equal(sent.status, 503);
    assert.equal(sent.headers['Retry-After'], RETRY_AFTER_SECONDS);
    expect(Object.keys(sent.body as object).sort()).toStrictEqual(['code', 'message']);
    assert.equal((sent.body as { code: string }).code, 'unavailable');
  });

  it('asks no retry of anything else', () => {
    const sent = answer(TesseraError.validation('title: must be a string'));
    assert.equal(sent.status, 400);
    assert.equal(sent.headers['Retry-After'], undefined);
  });
});
