import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { Principal, WorkspaceContext } from '@tessera/domain';
import type { WorkspaceToolsService } from '../tools/workspace-tools.service';
import { McpProtocol } from './mcp-protocol';
import type { Era } from './request-checks';
import { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from './protocol-versions';

const protocol = new McpProtocol({} as WorkspaceToolsService);
const answer = (method: string, params: Record<string, unknown> = {}, era: Era = 'legacy') => {
  const result = protocol.dispatch(era, {} as WorkspaceContext, {} as Principal, { id: 'a"1', method, params });
  assert.ok(!(result instanceof Promise), `${method} answers at once`);
  return String(result.json);
};
const SERVER_INFO_META = { 'io.modelcontextprotocol/serverInfo': { name: 'tessera', version: '0.1.0' } };

describe('McpProtocol', () => {
  it('speaks exactly the revisions pinned in its own code, whatever the SDK speaks', () => {
    expect(MODERN_PROTOCOL_VERSIONS).toStrictEqual(['2026-07-28']);
    expect(LEGACY_PROTOCOL_VERSIONS).toStrictEqual(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);
  });

  it('answers initialize with the requested version when supported, else the latest, exactly as JSON.stringify would', () => {
    for (const requested of [...LEGACY_PROTOCOL_VERSIONS, '2026-07-28', '1999-01-01', 42, undefined]) {
      const protocolVersion = LEGACY_PROTOCOL_VERSIONS.includes(requested as string) ? requested : '2025-11-25';
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

  it('answers server/discover (2026-07-28) with the supported versions, tools only, cache hints and server info', () => {
    const { result } = JSON.parse(answer('server/discover', {}, 'modern'));
    expect(result).toStrictEqual({
      resultType: 'complete',
      _meta: SERVER_INFO_META,
      supportedVersions: ['2026-07-28'],
      capabilities: { tools: {} },
      instructions: 'Use search to find documents of this workspace, then fetch to read one in full. Only documents you may read are visible.',
      ttlMs: 300_000,
      cacheScope: 'public',
    });
  });

  it('answers tools/list in the 2026 era with resultType, server info and cache hints, and the same tools in the same order as 2025', () => {
    const modern = JSON.parse(answer('tools/list', {}, 'modern')).result;
    const legacy = JSON.parse(answer('tools/list')).result;
    assert.equal(modern.resultType, 'complete');
    expect(modern._meta).toStrictEqual(SERVER_INFO_META);
    assert.equal(modern.ttlMs, 300_000);
    assert.equal(modern.cacheScope, 'public');
    expect(modern.tools).toStrictEqual(legacy.tools);
    expect(modern.tools.map((t: { name: string }) => t.name)).toStrictEqual(['search', 'fetch']);
    assert.equal(legacy.resultType, undefined, '2025-era results are as before');
  });

  it('answers 2025-only methods in the 2026 era as not found', () => {
    for (const method of ['initialize', 'ping']) assert.equal(JSON.parse(answer(method, {}, 'modern')).error.code, -32601);
  });
});
