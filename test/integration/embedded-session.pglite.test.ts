import 'reflect-metadata';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EMBEDDED_APPLICATION_ROLE } from '@tessera/persistence';
import { PostgresSearchBackend, prepareDocument } from '@tessera/search';
import { insertWorkspace, openTestDatabase } from '../support/database-harness';

interface Pool extends NodeJS.EventEmitter {
  connect(): Promise<{ release(error?: Error | boolean): void }>;
  query(config: { name: string; text: string }): Promise<unknown>;
}

const READER = { identifiers: ['reader@example.com'], groups: [] };

/** PGlite has one session, which outlives every socket connection to it; each new connection must start clean. */
describe('embedded PGlite: the session outlives its connection', () => {
  let harness: Awaited<ReturnType<typeof openTestDatabase>>;
  let pool: Pool;
  let backend: PostgresSearchBackend;
  let ws: string;
  beforeAll(async () => {
    harness = await openTestDatabase('pglite');
    pool = (harness.database.dataSource.driver as unknown as { master: Pool }).master;
    backend = new PostgresSearchBackend(harness.database.dataSource);
    ws = await insertWorkspace(harness.database);
    await backend.upsert(ws, [prepareDocument({ id: 'kiln', title: 'Kiln', text: 'Kiln firing schedule.' })]);
  });
  afterAll(async () => {
    await backend?.onApplicationShutdown();
    await harness?.close();
  });

  const assertServes = async (when: string) => {
    assert.equal((await backend.search(ws, { query: 'kiln firing', reader: READER, limit: 5 }))[0]?.id, 'kiln', `search ${when}`);
    assert.equal((await backend.get(ws, 'kiln', READER))?.id, 'kiln', `fetch ${when}`);
    const [who] = await harness.database.dataSource.query('SELECT current_user AS role');
    assert.equal(who.role, EMBEDDED_APPLICATION_ROLE, `acts as the ordinary role (row security applies) ${when}`);
  };

  it('serves search and fetch after the pool closed its connection', async () => {
    for (let round = 0; round < 3; round++) {
      await assertServes(`before round ${round}`);
      const client = await pool.connect();
      const removed = once(pool, 'remove');
      client.release(true);
      await removed;
      await assertServes(`after round ${round}`);
    }
  });

  it('serves the very next query after a failed statement made the pool drop its connection', async () => {
    for (let round = 0; round < 5; round++) {
      // pg-pool ends the connection a failed pool.query ran on; the next one opens while the old one closes.
      await assert.rejects(pool.query({ name: 'tessera_broken', text: 'SELECT no_such_column' }), /no_such_column/);
      await assertServes(`right after failure ${round}`);
    }
  });

  it('leaves nothing of an earlier connection in the session: statements, settings, role', async () => {
    await harness.database.dataSource.query(`SELECT set_config('application_name', 'left-behind', false)`);
    await harness.database.dataSource.query(`PREPARE left_behind AS SELECT 1`);
    const client = await pool.connect();
    const removed = once(pool, 'remove');
    client.release(true);
    await removed;
    const [row] = await harness.database.dataSource.query(
      `SELECT current_setting('application_name') AS name, (SELECT count(*)::int FROM pg_prepared_statements) AS prepared`,
    );
    expect(row).toStrictEqual({ name: '', prepared: 0 });
  });
});
