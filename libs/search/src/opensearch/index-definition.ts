import type { API } from '@opensearch-project/opensearch';

/**
 * The settings and mappings of a workspace index, kept as code. Any change to them that existing
 * documents must see (an analyzer, a field type) bumps MAPPING_VERSION; reindexWorkspace then builds
 * `tessera-<workspace>-v<MAPPING_VERSION>` and swaps the alias over to it.
 */
export const MAPPING_VERSION = 1;

/** Checked against the client's typings of the index-creation body, so a misspelt setting fails to compile. */
export type IndexDefinition = Required<Pick<API.Indices_Create_RequestBody, 'settings' | 'mappings'>>;

export interface IndexDefinitionOptions {
  /** Replica shards per index; 0 suits a single-node cluster, 1 or more a production one. */
  readonly replicas: number;
}

/** Analyzer names shared by the mapping and the query builder. */
export const TEXT_ANALYZER = 'tessera_text';
export const SHINGLE_ANALYZER = 'tessera_shingles';

// The order matters: possessives go before lowercasing, width-folding before CJK bigrams, and stop
// words go before stemming (so that "was" is dropped, not stemmed to "wa").
const TEXT_FILTERS = [
  'tessera_possessive',
  'lowercase',
  'cjk_width',
  'asciifolding',
  'cjk_bigram',
  'tessera_english_stop',
  'tessera_english_stem',
];

export function indexDefinition(options: IndexDefinitionOptions): IndexDefinition {
  return {
    settings: {
      index: {
        // A workspace holds thousands to a few million documents: one shard keeps term statistics
        // exact (identical documents score identically, so the id tie-break is stable) and is cheap.
        number_of_shards: 1,
        number_of_replicas: options.replicas,
        // Set explicitly so the shard never goes "search idle" and skips refreshes: a written
        // document is searchable within a second even in a quiet workspace.
        refresh_interval: '1s',
      },
      analysis: {
        filter: {
          tessera_possessive: { type: 'stemmer', language: 'possessive_english' },
          tessera_english_stop: { type: 'stop', stopwords: '_english_' },
          // Porter, the stemmer §6a measured; "light_english" (KStem) would stem less aggressively.
          tessera_english_stem: { type: 'stemmer', language: 'english' },
          tessera_word_pairs: { type: 'shingle', min_shingle_size: 2, max_shingle_size: 2, output_unigrams: false },
        },
        normalizer: {
          tessera_lowercase: { type: 'custom', filter: ['lowercase'] },
        },
        analyzer: {
          [TEXT_ANALYZER]: { type: 'custom', tokenizer: 'standard', filter: TEXT_FILTERS },
          // Adjacent word pairs, stop words kept ("terms of use" → "terms of", "of use") so that a
          // query's phrases rank documents that contain them above ones that merely share the words.
          [SHINGLE_ANALYZER]: {
            type: 'custom',
            tokenizer: 'standard',
            filter: ['lowercase', 'cjk_width', 'asciifolding', 'tessera_english_stem', 'tessera_word_pairs'],
          },
        },
      },
    },
    mappings: {
      // Unknown top-level fields are a bug in this adapter: fail the write instead of guessing a type.
      dynamic: 'strict',
      properties: {
        id: { type: 'keyword' },
        title: { type: 'text', analyzer: TEXT_ANALYZER },
        text: {
          type: 'text',
          analyzer: TEXT_ANALYZER,
          fields: { shingles: { type: 'text', analyzer: SHINGLE_ANALYZER } },
        },
        url: { type: 'keyword', index: false, doc_values: false },
        // Tenant-controlled keys must not grow the mapping (mapping explosion): stored for fetch,
        // not indexed. A later mapping version can map chosen keys for filtering.
        metadata: { type: 'object', dynamic: false },
        // User identifiers compare case-insensitively (the domain lowercases them too); the
        // normalizer applies to the terms query as well, so both sides always agree.
        acl_users: { type: 'keyword', normalizer: 'tessera_lowercase' },
        acl_groups: { type: 'keyword' },
        acl_public: { type: 'boolean' },
        // Hygiene findings (instruction-like text) and the quarantine that keeps a document out of
        // search and fetch until a tenant admin releases it.
        flags: { type: 'keyword' },
        quarantined: { type: 'boolean' },
        content_hash: { type: 'keyword', index: false },
        updated_at: { type: 'date' },
        last_modified: { type: 'date' },
      },
    },
  };
}

