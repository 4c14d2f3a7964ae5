/**
 * Baseline (b), child process: the MCP SDK's documented stateless pattern
 * (src/examples/server/simpleStatelessStreamableHttp.ts): `createMcpExpressApp()`, and per POST a new
 * `McpServer` and a new `StreamableHTTPServerTransport({ sessionIdGenerator: undefined })`, closed
 * when the response closes. The tools return constant results, so this measures the pattern alone.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { runChild } from './child-ipc';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, openWorldHint: false } as const;
const RESULTS = { results: [{ id: 'doc-1', title: 'A document', url: null }] };
const DOCUMENT = { id: 'doc-1', title: 'A document', text: 'Constant text.', url: null, metadata: {} };

function getServer(): McpServer {
  const server = new McpServer({ name: 'sdk-stateless-baseline', version: '1.0.0' });
  server.registerTool(
    'search',
    { description: 'Search the documents.', inputSchema: { query: z.string() }, annotations: READ_ONLY },
    async () => ({ content: [{ type: 'text', text: JSON.stringify(RESULTS) }], structuredContent: RESULTS }),
  );
  server.registerTool(
    'fetch',
    { description: 'Fetch one document.', inputSchema: { id: z.string() }, annotations: READ_ONLY },
    async () => ({ content: [{ type: 'text', text: JSON.stringify(DOCUMENT) }], structuredContent: DOCUMENT }),
  );
  return server;
}

runChild(async () => {
  const app = createMcpExpressApp();
  app.post('/mcp', async (req, res) => {
    const server = getServer();
    try {
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
    } catch {
      if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
    }
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  server.keepAliveTimeout = 65_000;
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
