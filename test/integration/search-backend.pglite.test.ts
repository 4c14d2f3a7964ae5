import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { PostgresSearchBackend, prepareDocument } from '@tessera/search';
import { searchBackendSuite } from '../../libs/search/testing/search-backend.suite';
import { insertWorkspace, openTestDatabase } from '../support/database-harness';

searchBackendSuite('PostgresSearchBackend on embedded PGlite', async () => {
  const { database, close } = await openTestDatabase('pglite');
  return {
    backend: new PostgresSearchBackend(database.dataSource),
    newWorkspace: () => insertWorkspace(database),
    close,
  };
});

describe('PostgresSearchBackend on embedded PGlite: memory', () => {
  it('never listens (one session), so it holds no fetched documents it could not serve', async () => {
    const { database, close } = await openTestDatabase('pglite');
    try {
      const backend = new PostgresSearchBackend(database.dataSource);
      const ws = await insertWorkspace(database);
      await backend.upsert(ws, [prepareDocument({ id: 'a', title: 'Kiln', text: 'Kiln firing schedule.' })]);
      const reader = { identifiers: ['reader@example.com'], groups: [] };
      for (let i = 0; i < 3; i++) {
        assert.equal((await backend.search(ws, { query: 'kiln firing', reader, limit: 5 }))[0]?.id, 'a');
        assert.equal((await backend.get(ws, 'a', reader))?.id, 'a');
      }
      const stats = backend.cacheStats();
      assert.equal(stats.listening, null);
      assert.equal(stats.documentBytes, 0);
      assert.equal(stats.answers.search.memory + stats.answers.fetch.memory, 0, 'every answer asked the database');
      await backend.onApplicationShutdown();
    } finally {
      await close();
    }
  });
});
