import 'reflect-metadata';
import { PostgresSearchBackend } from '@tessera/search';
import { searchBackendSuite } from '../../libs/search/testing/search-backend.suite';
import { insertWorkspace, openTestDatabase } from '../support/database-harness';

searchBackendSuite('PostgresSearchBackend on PostgreSQL (real server)', async () => {
  const { database, close } = await openTestDatabase('postgres');
  return {
    backend: new PostgresSearchBackend(database.dataSource),
    newWorkspace: () => insertWorkspace(database),
    close,
  };
});

searchBackendSuite('PostgresSearchBackend on PostgreSQL, without a postings cache (SEARCH_CACHE_MB=0)', async () => {
  const { database, close } = await openTestDatabase('postgres');
  return {
    backend: new PostgresSearchBackend(database.dataSource, { postingsCacheBytes: 0 }),
    newWorkspace: () => insertWorkspace(database),
    close,
  };
});
