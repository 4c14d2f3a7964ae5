/**
 * Reconciled sync runs through /v1 on PostgreSQL and the embedded PGlite: a run sees documents through
 * writes that name it; completing it deletes exactly what it did not see, in its source only; the
 * safety limit; two sources' runs at once; abandoned runs and a restart mid-run delete nothing;
 * tombstone lines; cursors; bad input answered 400/404/409 with {code, message}.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mcpRequest, onboardHandbook, startTestPlatform, type TestPlatform } from '../support/platform';

const W = '/v1/tenants/acme/workspaces/handbook';
const NDJSON = 'application/x-ndjson';
const lines = (ids: readonly string[], prefix = 'Doc') => `${ids.map((id) => JSON.stringify({ id, title: `${prefix} ${id}`, text: `Body of ${id}.` })).join('\n')}\n`;
const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`sync runs (${kind})`, () => {
    let t: TestPlatform;

    beforeAll(async () => {
      t = await startTestPlatform(kind);
      assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
      assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'handbook', name: 'Handbook' })).status, 201);
    });
    afterAll(async () => t?.close());

    const open = async (source: string) => {
      const response = await t.api('POST', `${W}/syncs`, { source });
      assert.equal(response.status, 201, response.text);
      return response.json.id as string;
    };
    const bulk = async (body: string, sync?: string) => {
      const response = await t.api('POST', `${W}/documents:bulk${sync ? `?sync=${sync}` : ''}`, body, undefined, NDJSON);
      assert.equal(response.status, 200, response.text);
      return response.json;
    };
    const complete = (id: string, body?: unknown) => t.api('POST', `${W}/syncs/${id}:complete`, body);
    const exists = async (id: string) => (await t.api('GET', `${W}/documents/${id}`)).status === 200;

    it('a second run that sees 900 of 1,000 deletes exactly the other 100, in its source only, while another source runs', async () => {
      const wiki = await open('wiki');
      const drive = await open('drive'); // two sources' runs open at once
      assert.equal((await bulk(lines(range('w', 0, 1000)), wiki)).summary.created, 1000);
      assert.equal((await bulk(lines(range('d', 0, 50)), drive)).summary.created, 50);
      const first = await complete(wiki);
      assert.equal(first.status, 200, first.text);
      expect([first.json.state, first.json.seen, first.json.deleted]).toStrictEqual(['completed', 1000, 0]);

      const again = await open('wiki');
      // Unchanged documents count as seen: the run saw them even though nothing was rewritten.
      assert.equal((await bulk(lines(range('w', 0, 900)), again)).summary.unchanged, 900);
      const done = await complete(again);
      assert.equal(done.status, 200, done.text);
      expect([done.json.seen, done.json.deleted]).toStrictEqual([900, 100]);
      expect([...done.json.deletedIds].sort()).toStrictEqual(range('w', 900, 1000).sort());
      assert.equal(await exists('w-899'), true);
      assert.equal(await exists('w-900'), false);
      // The other source's run is still open and its documents untouched.
      assert.equal(await exists('d-0'), true);
      assert.equal((await t.api('GET', `${W}/syncs/${drive}`)).json.state, 'open');
      expect([(await complete(drive)).json.deleted, await exists('d-49')]).toStrictEqual([0, true]);
    });

    it('refuses to delete more than 20% of the source unless forced; the run stays open until then', async () => {
      const run = await open('wiki');
      await bulk(lines(range('w', 0, 700)), run); // 200 of 900 unseen: 22%
      const refused = await complete(run);
      assert.equal(refused.status, 409, refused.text);
      assert.equal(refused.json.code, 'conflict');
      assert.match(refused.json.message, /delete 200 of the 900 documents of source "wiki"/);
      assert.equal(await exists('w-899'), true, 'nothing deleted');
      assert.equal((await t.api('GET', `${W}/syncs/${run}`)).json.state, 'open');
      const forced = await complete(run, { force: true });
      expect([forced.status, forced.json.deleted]).toStrictEqual([200, 200]);
      assert.equal(await exists('w-700'), false);
      const audit = (await t.api('GET', '/v1/tenants/acme/audit')).json.events.map((e: { action: string }) => e.action);
      for (const action of ['sync.open', 'sync.complete', 'sync.refused']) assert.ok(audit.includes(action), action);
    });

    it('an abandoned run deletes nothing, and nor does a run left open across a restart', async () => {
      const abandoned = await open('wiki');
      await bulk(lines(range('w', 0, 10)), abandoned);
      const response = await t.api('POST', `${W}/syncs/${abandoned}:abandon`);
      expect([response.status, response.json.state, response.json.deleted]).toStrictEqual([200, 'abandoned', 0]);
      assert.equal((await complete(abandoned)).status, 409);
      assert.equal(await exists('w-699'), true);

      const interrupted = await open('wiki');
      await bulk(lines(range('w', 0, 10)), interrupted);
      const { databaseUrl, dataDir, port } = t;
      await t.stopKeepingData();
      t = await startTestPlatform(kind, {}, { databaseUrl: databaseUrl ?? '', dataDir, port });
      assert.equal(await exists('w-699'), true, 'nothing deleted by the interruption');
      assert.equal((await t.api('GET', `${W}/syncs/${interrupted}`)).json.state, 'open');
      assert.equal((await t.api('POST', `${W}/syncs/${interrupted}:abandon`)).status, 200);
    });

    it('tombstone lines delete; cursors are stored per source', async () => {
      const result = await bulk(`${JSON.stringify({ id: 'w-1', deleted: true })}\n${JSON.stringify({ id: 'gone', deleted: true })}\n`);
      expect(result.results.map((r: { status: string }) => r.status)).toStrictEqual(['deleted', 'unchanged']);
      assert.equal(result.summary.deleted, 1);
      assert.equal(await exists('w-1'), false);
      assert.equal((await t.api('GET', `${W}/sources/wiki/cursor`)).status, 404);
      assert.equal((await t.api('PUT', `${W}/sources/wiki/cursor`, { cursor: 'page=42' })).status, 204);
      assert.equal((await t.api('GET', `${W}/sources/wiki/cursor`)).json.cursor, 'page=42');
      assert.equal((await t.api('GET', `${W}/sources/drive/cursor`)).status, 404, 'per source');
    });

    it('answers bad input with 400, 404 and 409 in the house shape', async () => {
      const expectError = async (response: { status: number; json: { code: string; message: string } }, status: number, code: string) => {
        assert.equal(response.status, status, JSON.stringify(response.json));
        assert.equal(response.json.code, code);
        assert.equal(typeof response.json.message, 'string');
      };
      await expectError(await t.api('POST', `${W}/syncs`, {}), 400, 'validation_failed');
      await expectError(await t.api('POST', `${W}/syncs`, { source: '../etc' }), 400, 'validation_failed');
      await expectError(await t.api('POST', `${W}/syncs`, { source: 'wiki', extra: 1 }), 400, 'validation_failed');
      const run = await open('wiki');
      await expectError(await t.api('POST', `${W}/syncs`, { source: 'wiki' }), 409, 'conflict');
      await expectError(await complete(run, { force: 'yes' }), 400, 'validation_failed');
      await expectError(await complete('00000000-0000-4000-8000-000000000000'), 404, 'not_found');
      await expectError(await t.api('GET', `${W}/syncs/not-a-uuid`), 404, 'not_found');
      await expectError(await t.api('PUT', `${W}/documents/x?sync=00000000-0000-4000-8000-000000000000`, { title: 'X', text: 'x' }), 404, 'not_found');
      await expectError(await t.api('PUT', `${W}/sources/wiki/cursor`, { cursor: '' }), 400, 'validation_failed');
      assert.equal((await complete(run, { force: true })).status, 200);
      await expectError(await t.api('PUT', `${W}/documents/x?sync=${run}`, { title: 'X', text: 'x' }), 409, 'conflict');
      assert.equal(await exists('x'), false, 'a write naming a closed run writes nothing');
      // Another workspace's run is unknown here.
      assert.equal((await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'other', name: 'Other' })).status, 201);
      const foreign = (await t.api('POST', '/v1/tenants/acme/workspaces/other/syncs', { source: 'wiki' })).json.id;
      await expectError(await complete(foreign), 404, 'not_found');
    });
  });
}

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`permission-only updates through /v1 and MCP fetch (${kind})`, () => {
    let t: TestPlatform;
    let token: string;
    let connector: string;

    beforeAll(async () => {
      t = await startTestPlatform(kind);
      ({ connector, token } = await onboardHandbook(t));
    });
    afterAll(async () => t?.close());

    const fetchable = async (id: string) => {
      const response = await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch', arguments: { id } } }, { authorization: `Bearer ${token}` });
      return response.json.result.isError !== true;
    };

    it('PATCH {acl} and a bulk line of id and acl narrow who may read; bad input is refused', async () => {
      await t.api('POST', `${W}/documents:bulk`, lines(['p-1', 'p-2']), undefined, NDJSON);
      expect([await fetchable('p-1'), await fetchable('p-2')]).toStrictEqual([true, true]);
      const patched = await t.api('PATCH', `${W}/documents/p-1`, { acl: { groups: ['finance'] } });
      expect([patched.status, patched.json.status]).toStrictEqual([200, 'updated']);
      assert.equal(await fetchable('p-1'), false);
      assert.equal((await t.api('PATCH', `${W}/documents/p-1`, { acl: { groups: ['finance'] } })).json.status, 'unchanged');
      const bulk = await t.api('POST', `${W}/documents:bulk`, `${JSON.stringify({ id: 'p-2', acl: { users: ['bob@acme.example'] } })}\n${JSON.stringify({ id: 'nope', acl: {} })}\n`, undefined, NDJSON);
      expect(bulk.json.results.map((r: { status: string }) => r.status)).toStrictEqual(['updated', 'failed']);
      assert.equal(bulk.json.results[1].error.code, 'not_found');
      assert.equal(await fetchable('p-2'), false);
      assert.equal((await t.api('GET', `${W}/documents/p-2`)).json.text, 'Body of p-2.');
      for (const [body, status] of [[{ acl: { users: 'x' } }, 400], [{ acl: {}, title: 'x' }, 400], [{}, 400], [[1], 400]] as const) {
        const response = await t.api('PATCH', `${W}/documents/p-1`, body);
        assert.deepEqual([response.status, response.json.code], [status, 'validation_failed'], JSON.stringify(body));
      }
      assert.equal((await t.api('PATCH', `${W}/documents/missing`, { acl: {} })).status, 404);
    });
  });
}
