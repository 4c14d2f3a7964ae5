import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** scripts/opensearch.js, which starts a real node from the Maven jars. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startOpenSearch } = require('../../scripts/opensearch.js') as {
  startOpenSearch(options: { baseDir: string; httpPort?: number; transportPort?: number }): Promise<{ url: string; pid: number; stop(): Promise<void>; unref(): void }>;
};

let started: Promise<string> | undefined;

/**
 * For benchmarks and tools: the node at `url` (left running), or a node started from the Maven jars in
 * a scratch directory (on OPENSEARCH_HTTP_PORT, default 9200), which `stop` stops and removes.
 */
export async function openSearchNode(url: string | undefined): Promise<{ url: string; version: string; stop(): Promise<void> }> {
  let stop = async () => undefined;
  if (!url) {
    const baseDir = await mkdtemp(join(tmpdir(), 'tessera-opensearch-'));
    const httpPort = Number(process.env.OPENSEARCH_HTTP_PORT ?? 9200);
    const node = await startOpenSearch({ baseDir, httpPort, transportPort: httpPort + 100 });
    url = node.url;
    stop = async () => {
      await node.stop();
      await rm(baseDir, { recursive: true, force: true });
    };
  }
  const about = (await (await fetch(url)).json()) as { version?: { number?: string } };
  return { url: url.replace(/\/+$/, ''), version: about.version?.number ?? 'unknown', stop };
}

/**
 * The URL of a real OpenSearch node for this test process. `npm test` starts one node for the whole run
 * and passes it as OPENSEARCH_TEST_URL; a test file run on its own starts a node of its own (on
 * OPENSEARCH_HTTP_PORT, default 9200) and stops it when the file is done. Tests share the node, so
 * each one works in workspaces (and indices) named by fresh UUIDs.
 */
export function realOpenSearchUrl(): Promise<string> {
  const shared = process.env.OPENSEARCH_TEST_URL;
  if (shared) return Promise.resolve(shared.replace(/\/+$/, ''));
  started ??= (async () => {
    const baseDir = await mkdtemp(join(tmpdir(), 'tessera-opensearch-'));
    const httpPort = Number(process.env.OPENSEARCH_HTTP_PORT ?? 9200);
    const node = await startOpenSearch({ baseDir, httpPort, transportPort: httpPort + 100 });
    // Stopped when this test process ends (the JVM closes the node on SIGTERM); the scratch directory
    // stays in the system's temporary directory.
    node.unref();
    process.once('exit', () => process.kill(node.pid, 'SIGTERM'));
    return node.url;
  })();
  return started;
}
