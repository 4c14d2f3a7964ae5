import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { mcpRequest, startTestPlatform } from '../support/platform';
import { walkingSkeletonSuite } from './walking-skeleton.suite';

walkingSkeletonSuite('postgres');

describe('first start on PostgreSQL with the demo seed', () => {
  it('creates its data directory for the demo credentials, and the demo connector answers', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tessera-seed-'));
    const dataDir = join(parent, 'not', 'yet', 'there');
    // With the admin token given, nothing else creates the data directory first.
    const t = await startTestPlatform('postgres', { TESSERA_SEED_DEMO: 'true', DATA_DIR: dataDir, TESSERA_ADMIN_TOKEN: 'seed-test-admin-token-0123456789abcdef' });
    try {
      const file = join(dataDir, 'demo-credentials.json');
      assert.equal((await stat(file)).mode & 0o777, 0o600, 'credentials are readable by their owner only');
      const seed = JSON.parse(await readFile(file, 'utf8')) as { accessToken: string; connectorPath: string };
      const answer = await mcpRequest(
        t.baseUrl + seed.connectorPath,
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'how do I request a laptop' } } },
        { authorization: `Bearer ${seed.accessToken}` },
      );
      assert.equal(answer.status, 200);
      const results = JSON.parse(answer.json.result.content[0].text).results as unknown[];
      assert.ok(results.length > 0, 'the demo workspace is searchable');
    } finally {
      await t.close();
      await rm(parent, { recursive: true, force: true });
    }
  });
});
