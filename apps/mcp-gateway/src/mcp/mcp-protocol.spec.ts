import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import type { Principal, WorkspaceContext } from '@tessera/domain';
import type { WorkspaceToolsService } from '../tools/workspace-tools.service';
import { McpProtocol, SUPPORTED_PROTOCOL_VERSIONS } from './mcp-protocol';

const protocol = new McpProtocol({} as WorkspaceToolsService);
const answer = (method: string, params: Record<string, unknown> = {}) => {
  const result = protocol.dispatch({} as WorkspaceContext, {} as Principal, { id: 'a"1', method, params });
  assert.ok(!(result instanceof Promise), `${method} answers at once`);
  assert.equal(result.kind, 'message');
  return result.kind === 'message' ? result.json : '';
};

describe('McpProtocol', () => {
  it('answers initialize with the requested version when supported, else the latest, exactly as JSON.stringify would', () => {
    for (const requested of [...SUPPORTED_PROTOCOL_VERSIONS, '1999-01-01', 42, undefined]) {
      const protocolVersion = SUPPORTED_PROTOCOL_VERSIONS.includes(requested as string) ? requested : LATEST_PROTOCOL_VERSION;
      const expected = {
        jsonrpc: '2.0',
        id: 'a"1',
        result: {
          protocolVersion,
          capabilities: { tools: { listChanged: false } },
          serverInfo: { name: 'tessera', title: 'Tessera workspace connector', version: '0.1.0' },
          instructions: 'Use search to find documents of this workspace, then fetch to read one in full. Only documents you may read are visible.',
        },
      };
      assert.equal(answer('initialize', { protocolVersion: requested, capabilities: {} }), JSON.stringify(expected), String(requested));
    }
  });

  it('answers ping with an empty result', () => {
    assert.equal(answer('ping'), '{"jsonrpc":"2.0","id":"a\\"1","result":{}}');
  });
});
