/**
 * scripts/opensearch.js, which `npm test` uses to start its OpenSearch node: a port something else holds
 * is refused at once, in one line naming the variable to change, before Maven or a JVM is started.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startOpenSearch } = require('../../scripts/opensearch.js') as {
  startOpenSearch(options: { baseDir: string; httpPort: number; transportPort: number }): Promise<{ stop(): Promise<void> }>;
};

/** A plain TCP listener (not HTTP, so it does not look like a running node) on a port the system picks. */
function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const { server, port } = await holdPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scripts/opensearch.js with a port in use', () => {
  let held: { server: Server; port: number };
  let baseDir: string;

  beforeAll(async () => {
    held = await holdPort();
    baseDir = await mkdtemp(join(tmpdir(), 'tessera-opensearch-port-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => held.server.close(resolve));
    await rm(baseDir, { recursive: true, force: true });
  });

  it('refuses an HTTP port in use in one line that names OPENSEARCH_HTTP_PORT', async () => {
    await assert.rejects(startOpenSearch({ baseDir, httpPort: held.port, transportPort: await freePort() }), (error: Error) => {
      assert.match(error.message, new RegExp(`^port ${held.port} on 127\\.0\\.0\\.1 is in use .*OPENSEARCH_HTTP_PORT=<port>$`));
      assert.equal(error.message.includes('\n'), false, 'one line');
      return true;
    });
  });

  it('refuses a transport port in use, naming OPENSEARCH_TRANSPORT_PORT and how npm test derives it', async () => {
    await assert.rejects(startOpenSearch({ baseDir, httpPort: await freePort(), transportPort: held.port }), (error: Error) => {
      assert.match(error.message, /OPENSEARCH_TRANSPORT_PORT=<port> \(npm test uses OPENSEARCH_HTTP_PORT \+ 100\)$/);
      assert.equal(error.message.includes('\n'), false, 'one line');
      return true;
    });
  });
});
