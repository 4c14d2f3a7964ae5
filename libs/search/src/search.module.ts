import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresSearchBackend } from './postgres/postgres-search.backend';
import { SEARCH_BACKEND } from './search-backend.port';

/** Provides the configured SearchBackend; apps depend only on the port. */
@Global()
@Module({
  providers: [
    {
      provide: SEARCH_BACKEND,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new PostgresSearchBackend(dataSource),
    },
  ],
  exports: [SEARCH_BACKEND],
})
export class SearchModule {}
