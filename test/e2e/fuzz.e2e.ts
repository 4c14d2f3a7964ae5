/**
 * Property-based hostile input (fast-check) against the running platform: whatever arrives at the MCP
 * endpoint or the bulk ingestion endpoint, the answer is never a 500, never a hang, and never a stored
 * half-document.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { readInWorkspace } from '@tessera/persistence';
import { startTestPlatform, type TestPlatform } from '../support/platform';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

const jsonRpcish = fc.oneof(
  fc.jsonValue(),
  fc.record({
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.string()),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 300 }), fc.double(), fc.constant(null), fc.object()),
    method: fc.oneof(fc.constantFrom('initialize', 'ping', 'tools/list', 'tools/call', 'resources/list'), fc.string()),
    params: fc.oneof(
      fc.record({ name: fc.oneof(fc.constantFrom('search', 'fetch'), fc.string()), arguments: fc.oneof(fc.dictionary(fc.constantFrom('query', 'id', 'x'), fc.jsonValue()), fc.jsonValue()) }),
      fc.jsonValue(),
    ),
  }, { requiredKeys: [] }),
  fc.array(fc.record({ jsonrpc: fc.constant('2.0'), id: fc.nat(), method: fc.constant('tools/call'), params: fc.record({ name: fc.constant('search'), arguments: fc.record({ query: fc.string({ unit: 'binary', maxLength: 200 }) }) }) }), { maxLength: 25 }),
);

describe('fuzzing the gateway and ingestion with fast-check (PostgreSQL)', () => {
  let t: TestPlatform;
  let connector: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestPlatform('postgres');
    await t.api('POST', '/v1/tenants', { slug: 'fuzz', name: 'Fuzz' });
    connector = (await t.api('POST', '/v1/tenants/fuzz/workspaces', { slug: 'kb', name: 'KB' })).json.connectorUrl;
    await t.api('PUT', '/v1/tenants/fuzz/workspaces/kb/documents/seed', { title: 'Seed', text: 'A document to find.' });
    token = (await t.api('POST', '/v1/tenants/fuzz/workspaces/kb/access-tokens', { subject: 'fuzz@example.com' })).json.token;
    await t.api('PATCH', '/v1/tenants/fuzz/workspaces/kb', { rateLimits: { principalPerMinute: 1_000_000, workspacePerMinute: 1_000_000 } });
  });
  afterAll(async () => t?.close());

  it('answers any JSON-RPC-shaped body (or raw text) without a 500 or a hang', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(jsonRpcish.map((v) => JSON.stringify(v) ?? 'null'), fc.string({ unit: 'binary', maxLength: 500 })), async (body) => {
        const response = await fetch(connector, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.text();
        assert.ok(response.status < 500, `status ${response.status} for ${body.slice(0, 200)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('ingests any NDJSON without a 500, answers every non-blank line, and stores only whole documents', async () => {
    const line = fc.oneof(
      fc.record({ id: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/), fc.string()), title: fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.jsonValue()), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.jsonValue()), metadata: fc.oneof(fc.object({ maxDepth: 3 }), fc.jsonValue()), acl: fc.oneof(fc.record({ groups: fc.array(fc.string()) }), fc.jsonValue()) }, { requiredKeys: ['id'] }).map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 120 }).filter((s) => !s.includes('\n')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (lines) => {
        const response = await t.api('POST', '/v1/tenants/fuzz/workspaces/kb/documents:bulk', lines.join('\n'), undefined, 'application/x-ndjson');
        assert.ok(response.status < 500, `status ${response.status}: ${response.text.slice(0, 200)}`);
        if (response.status === 200) {
          const nonBlank = lines.filter((l) => l.trim() !== '').length;
          assert.equal(response.json.results.length, nonBlank);
        }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    const dataSource = t.platform.app.get(DataSource);
    const [{ id: workspaceId }] = await dataSource.query(
      `SELECT w.id FROM workspaces w JOIN tenants t ON t.id = w.tenant_id WHERE t.slug = 'fuzz' AND w.slug = 'kb'`,
    );
    // Workspace data is under row-level security: outside the workspace's scope this would see nothing.
    const [stored, broken] = await readInWorkspace(dataSource, workspaceId as string, async (db) => [
      await db.query(`SELECT count(*)::int AS n FROM documents`),
      await db.query(
        `SELECT d.external_id FROM documents d
          WHERE d.title_length + d.body_length > 0
            AND NOT EXISTS (
              SELECT 1 FROM posting_blocks b CROSS JOIN LATERAL generate_series(0, length(b.postings) - 22, 22) AS r(at)
               WHERE b.workspace_id = d.workspace_id AND b.block = d.posting_block
                 AND substring(b.postings FROM r.at + 1 FOR 8) = int8send(d.pk))`,
      ),
    ]);
    assert.ok((stored[0] as { n: number }).n > 0, 'the fuzzed lines stored documents, and the check can see them');
    assert.deepEqual(broken, [], 'every stored document has its postings');
  });
});
