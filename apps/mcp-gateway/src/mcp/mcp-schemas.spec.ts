import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { specTypeSchemas } from '@modelcontextprotocol/client';
import type { Principal, WorkspaceContext } from '@tessera/domain';
import { TOOLS } from '../tools/tool-definitions';
import { jsonToolResult, toolError } from '../tools/tool-result';
import type { WorkspaceToolsService } from '../tools/workspace-tools.service';
import { errorMessage, JsonRpcErrorCode } from './json-rpc';
import { McpProtocol } from './mcp-protocol';
import type { Era } from './request-checks';

/**
 * What the gateway writes by hand, checked against the MCP schemas of the SDK 2.x (the reference
 * for both eras): the hot path serializes its own JSON, so this is where the SDK keeps it honest.
 */
type Schema = { safeParse(value: unknown): { success: boolean; error?: unknown } };
const schema = (name: string) => (specTypeSchemas as unknown as Record<string, Schema>)[name]!;
const assertValid = (name: string, value: unknown) => {
  const parsed = schema(name).safeParse(value);
  assert.ok(parsed.success, `${name}: ${JSON.stringify(parsed.error)?.slice(0, 500)}`);
};

// A stand-in for the tools service: only the serialization of its results is under test here.
const results = [jsonToolResult({ results: [{ id: 'doc-1', title: 'Leave "policy"', url: null }] }), toolError('search needs a "query" string.')];
let next = 0;
const tools = { call: async () => ({ kind: 'result', result: results[next++ % results.length] }) } as unknown as WorkspaceToolsService;
const protocol = new McpProtocol(tools);
const answer = async (era: Era, method: string, params: Record<string, unknown> = {}) =>
  JSON.parse(String((await protocol.dispatch(era, {} as WorkspaceContext, {} as Principal, { id: 7, method, params })).json));

describe('gateway answers against the SDK 2.x MCP schemas', () => {
  it('server/discover (2026-07-28)', async () => {
    const message = await answer('modern', 'server/discover');
    assertValid('JSONRPCResultResponse', message);
    assertValid('DiscoverResult', message.result);
  });

  it('tools/list in both eras, and each tool definition', async () => {
    for (const era of ['modern', 'legacy'] as const) assertValid('ListToolsResult', (await answer(era, 'tools/list')).result);
    for (const tool of TOOLS) assertValid('Tool', tool);
  });

  it('tools/call results and tool errors in both eras', async () => {
    for (const era of ['modern', 'legacy'] as const) {
      for (let i = 0; i < 2; i++) assertValid('CallToolResult', (await answer(era, 'tools/call', { name: 'search', arguments: { query: 'x' } })).result);
    }
  });

  it('the errors of the 2026-07-28 checks', () => {
    const unsupported = JSON.parse(errorMessage(104, JsonRpcErrorCode.UnsupportedProtocolVersion, 'Unsupported protocol version: v9', { supported: ['2026-07-28'], requested: 'v9' }));
    assertValid('JSONRPCErrorResponse', unsupported);
    assertValid('JSONRPCErrorResponse', JSON.parse(errorMessage(undefined, JsonRpcErrorCode.HeaderMismatch, 'Header mismatch')));
  });
});
