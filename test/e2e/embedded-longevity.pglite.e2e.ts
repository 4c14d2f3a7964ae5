/**
 * `npm start` on the embedded PGlite runs for days: search and fetch must survive the pool closing an
 * idle connection or replacing a failed one, and /readyz must say so when answers cannot be served.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EMBEDDED_APPLICATION_ROLE } from '@tessera/persistence';
import { DataSource } from 'typeorm';
import { mcpRequest, startTestPlatform, type TestPlatform } from '../support/platform';

interface Pool extends NodeJS.EventEmitter {
  options: { idleTimeoutMillis: number };
}

describe('embedded default (PGlite) over a long run', () => {
  let t: TestPlatform;
  let connector: string;
  let token: string;
  let dataSource: DataSource;

  const call = async (name: 'search' | 'fetch', args: Record<string, string>) => {
    const response = await mcpRequest(connector, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }, { authorization: `Bearer ${token}` });
    assert.equal(response.status, 200);
    return response.json.result as { isError?: boolean; content: Array<{ text: string }> };
  };
  const searchIds = async (query: string) => {
    const result = await call('search', { query });
    assert.ok(!result.isError, result.content[0]?.text);
    return (JSON.parse(result.content[0]!.text) as { results: Array<{ id: string }> }).results.map((r) => r.id);
  };
  const fetchTitle = async (id: string) => {
    const result = await call('fetch', { id });
    assert.ok(!result.isError, result.content[0]?.text);
    return (JSON.parse(result.content[0]!.text) as { title: string }).title;
  };

  beforeAll(async () => {
    t = await startTestPlatform('pglite');
    assert.equal((await t.api('POST', '/v1/tenants', { slug: 'acme', name: 'Acme' })).status, 201);
    connector = (await t.api('POST', '/v1/tenants/acme/workspaces', { slug: 'kb', name: 'KB' })).json.connectorUrl;
    await t.api('PUT', '/v1/tenants/acme/workspaces/kb/documents/kiln', { title: 'Kiln', text: 'Kiln firing schedule for the pottery studio.' });
    token = (await t.api('POST', '/v1/tenants/acme/workspaces/kb/access-tokens', { subject: 'ana@acme.example' })).json.token;
    dataSource = t.platform.app.get(DataSource);
  });
  afterAll(async () => t?.close());

  it('answers search and fetch after the pool closed its idle connection', async () => {
    expect(await searchIds('kiln firing')).toStrictEqual(['kiln']);
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const idle = pool.options.idleTimeoutMillis;
    // A short idle timeout stands in for a quiet minute: the pool closes the connection it gets back.
    pool.options.idleTimeoutMillis = 20;
    try {
      for (let round = 0; round < 2; round++) {
        const closed = once(pool, 'remove');
        assert.equal(await fetchTitle('kiln'), 'Kiln', `fetch, round ${round}`);
        await closed;
        assert.deepEqual(await searchIds('kiln firing'), ['kiln'], `search after idle, round ${round}`);
        assert.equal(await fetchTitle('kiln'), 'Kiln', `fetch after idle, round ${round}`);
      }
    } finally {
      pool.options.idleTimeoutMillis = idle;
    }
    assert.equal((await t.api('GET', '/readyz')).status, 200);
    const [who] = await dataSource.query('SELECT current_user AS role');
    assert.equal(who.role, EMBEDDED_APPLICATION_ROLE, 'the new connection still acts as the ordinary role');
  });

  it('turns /readyz red while search or fetch cannot be served, and green again when they can', async () => {
    assert.equal((await t.api('GET', '/readyz')).status, 200);
    // The session's superuser takes the application role's right to read a table away (and gives it back).
    const asOwner = async (sql: string) => {
      await dataSource.transaction(async (em) => {
        await em.query('SET LOCAL ROLE postgres');
        await em.query(sql);
      });
    };
    for (const [table, tool] of [['documents', 'fetch'], ['posting_blocks', 'search']] as const) {
      await asOwner(`REVOKE SELECT ON ${table} FROM ${EMBEDDED_APPLICATION_ROLE}`);
      try {
        const failing = tool === 'fetch' ? await call('fetch', { id: 'kiln' }) : await call('search', { query: 'pottery' });
        assert.equal(failing.isError, true, `${tool} fails without ${table}`);
        const ready = await t.api('GET', '/readyz');
        assert.equal(ready.status, 503, `${table}: ${ready.text}`);
        assert.equal(ready.json.error?.search?.status, 'down', ready.text);
      } finally {
        await asOwner(`GRANT SELECT ON ${table} TO ${EMBEDDED_APPLICATION_ROLE}`);
      }
      assert.equal((await t.api('GET', '/readyz')).status, 200, `green again with ${table}`);
    }
    assert.equal(await fetchTitle('kiln'), 'Kiln');
    expect(await searchIds('pottery')).toStrictEqual(['kiln']);
  });
});
