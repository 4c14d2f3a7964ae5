/**
 * `lastModified`, the source's own modification time, end to end: sent with PUT and in a bulk line,
 * validated (ISO 8601 with a zone, a real calendar day), stored, shown by GET, and served by MCP
 * fetch in the document's metadata, on PostgreSQL and the embedded PGlite.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mcpRequest, onboardHandbook, startTestPlatform, type TestPlatform } from '../support/platform';

const W = '/v1/tenants/acme/workspaces/handbook';

for (const kind of ['postgres', 'pglite'] as const) {
  describe(`document lastModified end to end (${kind})`, () => {
    let t: TestPlatform;
    let token: string;
    let connector: string;

    beforeAll(async () => {
      t = await startTestPlatform(kind);
      ({ connector, token } = await onboardHandbook(t));
    });
    afterAll(async () => t?.close());

    const fetchMetadata = async (id: string) => {
      const response = await mcpRequest(
        connector,
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'fetch', arguments: { id } } },
        { authorization: `Bearer ${token}` },
      );
      return response.json.result.structuredContent.metadata as Record<string, unknown>;
    };

    it('stores it from PUT and bulk, normalized to UTC, and serves it with GET and fetch', async () => {
      const put = await t.api('PUT', `${W}/documents/policy`, { title: 'Travel policy', text: 'Book early.', lastModified: '2026-11-30T09:15:00+01:00' });
      assert.equal(put.status, 201, put.text);
      const lines = [
        JSON.stringify({ id: 'dated', title: 'Dated', text: 'A day only.', lastModified: '2026-02-28' }),
        JSON.stringify({ id: 'undated', title: 'Undated', text: 'No time given.' }),
      ];
      const bulk = await t.api('POST', `${W}/documents:bulk`, `${lines.join('\n')}\n`, undefined, 'application/x-ndjson');
      assert.equal(bulk.status, 200, bulk.text);
      assert.equal((await t.api('GET', `${W}/documents/policy`)).json.lastModified, '2026-11-30T08:15:00.000Z');
      assert.equal((await t.api('GET', `${W}/documents/dated`)).json.lastModified, '2026-02-28T00:00:00.000Z');
      assert.equal((await t.api('GET', `${W}/documents/undated`)).json.lastModified, null);
      assert.equal((await fetchMetadata('policy')).lastModified, '2026-11-30T08:15:00.000Z');
      assert.equal((await fetchMetadata('undated')).lastModified, undefined);
    });

    it('counts a changed lastModified as a change, and the same one as unchanged', async () => {
      const body = { title: 'Holidays', text: 'Twenty-five days.', lastModified: '2026-01-01T00:00:00Z' };
      assert.equal((await t.api('PUT', `${W}/documents/holidays`, body)).json.status, 'created');
      assert.equal((await t.api('PUT', `${W}/documents/holidays`, { ...body, lastModified: '2026-01-01T01:00:00+01:00' })).json.status, 'unchanged');
      assert.equal((await t.api('PUT', `${W}/documents/holidays`, { ...body, lastModified: '2026-06-01T00:00:00Z' })).json.status, 'updated');
      assert.equal((await fetchMetadata('holidays')).lastModified, '2026-06-01T00:00:00.000Z');
    });

    it('refuses what is not an ISO 8601 time, naming the field, in PUT and in a bulk line', async () => {
      for (const bad of ['2026-02-30', '2026-13-01', '2026-12-07T25:00:00Z', '2026-12-07T10:00:00', 'yesterday', '07/12/2026', 1765100000, '', '2026-12-07T10:00:00Z\u0000']) {
        const response = await t.api('PUT', `${W}/documents/bad`, { title: 'Bad', text: 'x', lastModified: bad });
        assert.equal(response.status, 400, `${JSON.stringify(bad)}: ${response.text}`);
        // A NUL is refused at the edge, before validation, which names the field its own way.
        expect([response.json.code, /^lastModified:|^request body field lastModified /.test(response.json.message)]).toStrictEqual(['validation_failed', true]);
      }
      const bulk = await t.api('POST', `${W}/documents:bulk`, `${JSON.stringify({ id: 'bad', title: 'Bad', text: 'x', lastModified: 'soon' })}\n`, undefined, 'application/x-ndjson');
      assert.equal(bulk.json.results[0].error.code, 'validation_failed');
      assert.equal((await t.api('GET', `${W}/documents/bad`)).status, 404);
    });
  });
}
