import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger';
import { PinoNestLogger } from './pino-nest-logger';
import { annotateRequest, currentRequestContext, requestIdFrom, runWithRequestContext } from './request-context';

function capture(level = 'debug') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { nest: new PinoNestLogger(logger), lines };
}

describe('PinoNestLogger', () => {
  it('maps Nest calls to structured lines: context, pino-style objects, errors and stacks', () => {
    const { nest, lines } = capture();
    nest.log('server started', 'Bootstrap');
    nest.error({ err: new Error('boom'), errorId: 'e-7' }, 'unhandled MCP gateway error', 'McpGateway');
    nest.error('plain failure', 'Error: x\n    at y (z.ts:1:1)', 'ApiError');
    nest.warn('careful', undefined, 'Ctx');
    nest.debug(new Error('as message'), 'Debugger');
    expect(lines.map((l) => [l.level, l.context, l.msg])).toStrictEqual([
        ['info', 'Bootstrap', 'server started'],
        ['error', 'McpGateway', 'unhandled MCP gateway error'],
        ['error', 'ApiError', 'plain failure'],
        ['warn', 'Ctx', 'careful'],
        ['debug', 'Debugger', 'as message'],
      ]);
    assert.equal(lines[1]!.errorId, 'e-7');
    assert.equal((lines[1]!.err as { message: string }).message, 'boom');
    assert.match(String(lines[2]!.stack), /at y/);
    assert.equal((lines[4]!.err as { type: string }).type, 'Error');
  });

  it('demotes Nest start-up chatter to debug and respects the level', () => {
    const { nest, lines } = capture('info');
    nest.log('Mapped {/v1/tenants, POST} route', 'RouterExplorer');
    nest.debug('hidden', 'X');
    nest.verbose('hidden too', 'X');
    assert.equal(lines.length, 0);
  });

  it('redacts objects logged through Nest', () => {
    const { nest, lines } = capture();
    nest.log({ headers: { authorization: 'Bearer secret-value' } }, 'req', 'Ctx');
    assert.ok(!JSON.stringify(lines).includes('secret-value'));
  });

  it('adds the current request id to every line written while serving a request', async () => {
    const { nest, lines } = capture();
    await runWithRequestContext({ requestId: 'req-12345678' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      nest.log('inside', 'Ctx');
      annotateRequest({ tool: 'search' });
      annotateRequest({ outcome: 'ok' });
      expect(currentRequestContext()?.fields).toStrictEqual({ tool: 'search', outcome: 'ok' });
    });
    nest.log('outside', 'Ctx');
    assert.equal(lines[0]!.requestId, 'req-12345678');
    assert.equal(lines[1]!.requestId, undefined);
  });
});

describe('requestIdFrom', () => {
  it('keeps a sane caller id and replaces anything else with a UUID', () => {
    assert.equal(requestIdFrom('abc-123_XYZ.789'), 'abc-123_XYZ.789');
    for (const bad of [undefined, '', 'short', 'has space in it', 'x'.repeat(200), 'line\nbreak-injected', '{"json":1}']) {
      assert.match(requestIdFrom(bad), /^[0-9a-f-]{36}$/, String(bad));
    }
    assert.equal(requestIdFrom(['first-id-1234', 'second']), 'first-id-1234');
  });
});
