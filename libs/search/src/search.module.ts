import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type SearchBackendSelection } from './opensearch/opensearch.config';
import { MappingUpgradeOnStart } from './opensearch/mapping-upgrade-on-start';
import { OpenSearchSearchBackend } from './opensearch/opensearch-search.backend';
import { PostgresSearchBackend } from './postgres/postgres-search.backend';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.port';

/**
 * Provides the configured SearchBackend (SEARCH_BACKEND=postgres, the default, or opensearch); apps
 * depend only on the port. The selection is validated when the module starts, so a bad variable
 * stops the boot with a message that names it.
 */
/** Optional: a function that wraps the backend (ObservabilityModule provides one for metrics). */
export const SEARCH_BACKEND_DECORATOR = Symbol.for('tessera.search-backend-decorator');

@Global()
@Module({})
export class SearchModule {
  /**
   * `selection` comes from the app's configuration (loadSearchBackendSelection(env)), validated at boot.
   * `upgradeMappingsOnStart`: the app that manages indices (the tenant API) brings existing OpenSearch
   * indices to the current mapping in the background when it starts (MappingUpgradeOnStart).
   */
  static forSelection(selection: SearchBackendSelection, options: { upgradeMappingsOnStart?: boolean } = {}): DynamicModule {
    const upgrade = options.upgradeMappingsOnStart && selection.kind === 'opensearch' ? [{ provide: MappingUpgradeOnStart, useFactory: () => new MappingUpgradeOnStart(selection.options) }] : [];
    return {
      module: SearchModule,
      providers: [
        ...upgrade,
        {
          provide: SEARCH_BACKEND,
          inject: [DataSource, { token: SEARCH_BACKEND_DECORATOR, optional: true }],
          useFactory: (dataSource: DataSource, decorate?: (backend: SearchBackend) => SearchBackend): SearchBackend => {
            const backend = selection.kind === 'opensearch' ? new OpenSearchSearchBackend(selection.options) : new PostgresSearchBackend(dataSource, selection);
            // Observability wraps the backend (timings) when its module is loaded; search does not depend on it.
            return decorate ? decorate(backend) : backend;
          },
        },
      ],
      exports: [SEARCH_BACKEND],
    };
  }
}
