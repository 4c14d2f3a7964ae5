import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadSearchBackendSelection } from './opensearch/opensearch.config';
import { OpenSearchSearchBackend } from './opensearch/opensearch-search.backend';
import { PostgresSearchBackend } from './postgres/postgres-search.backend';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.port';

/**
 * Provides the configured SearchBackend (SEARCH_BACKEND=postgres, the default, or opensearch); apps
 * depend only on the port. The selection is validated when the module starts, so a bad variable
 * stops the boot with a message that names it.
 */
@Global()
@Module({
  providers: [
    {
      provide: SEARCH_BACKEND,
      inject: [DataSource],
      useFactory: (dataSource: DataSource): SearchBackend => {
        const selection = loadSearchBackendSelection(process.env);
        return selection.kind === 'opensearch' ? new OpenSearchSearchBackend(selection.options) : new PostgresSearchBackend(dataSource);
      },
    },
  ],
  exports: [SEARCH_BACKEND],
})
export class SearchModule {}
