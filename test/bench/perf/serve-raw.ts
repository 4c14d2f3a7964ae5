/**
 * Baseline (a), child process: raw Node `http` answering the same JSON-RPC requests with constant
 * results. It reads and parses the body and echoes the id, and does nothing else: the ceiling for
 * any MCP server in Node on this machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOOLS_LIST_RESULT_JSON } from '../../../apps/mcp-gateway/src/tools/tool-definitions';
import { runChild } from './child-ipc';

const INITIALIZE_RESULT = JSON.stringify({
  protocolVersion: '2025-06-18',
  capabilities: { tools: { listChanged: false } },
  serverInfo: { name: 'raw-baseline', version: '1.0.0' },
});
const SEARCH_RESULT = JSON.stringify({
  content: [{ type: 'text', text: '{"results":[{"id":"doc-1","title":"A document","url":null}]}' }],
  structuredContent: { results: [{ id: 'doc-1', title: 'A document', url: null }] },
});

function resultFor(method: unknown): string | undefined {
  if (method === 'tools/list') return TOOLS_LIST_RESULT_JSON;
  if (method === 'initialize') return INITIALIZE_RESULT;
  if (method === 'tools/call') return SEARCH_RESULT;
  if (method === 'ping') return '{}';
  return undefined;
}

runChild(async () => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let message: { id?: unknown; method?: unknown };
      try {
        message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
        return;
      }
      const result = resultFor(message.method);
      const body =
        result === undefined
          ? `{"jsonrpc":"2.0","id":${JSON.stringify(message.id ?? null)},"error":{"code":-32601,"message":"Method not found"}}`
          : `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${result}}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    info: { pid: process.pid },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
});
