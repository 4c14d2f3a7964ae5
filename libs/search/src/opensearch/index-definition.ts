import type { API } from '@opensearch-project/opensearch';
import { OPTIONAL_DOCUMENT_FIELD_NAMES, optionalFieldDefinition } from '@tessera/domain';
import { ENGLISH_STOP_WORDS } from '../analysis';

/**
 * The settings and mappings of a workspace index, kept as code. Any change to them bumps MAPPING_VERSION.
 * A change existing documents can take in place (a new field or multi-field) is also listed in
 * ADDITIVE_UPGRADES, and the tenant API applies it to existing indices when it starts (mapping-upgrade.ts);
 * any other (an analyzer, a field type) needs reindexWorkspace, which builds
 * `tessera-<workspace>-v<MAPPING_VERSION>` and swaps the alias over to it.
 *
 * v2: workspace_id (indices shared by small workspaces), `_id` = "<workspace id>:<id>", the product's stop word list instead of Lucene's 33-word `_english_`, one `title_and_text`
 * field (copy_to) that BM25 scores as one text, and no word-pair subfield — measured on a real node,
 * CISI nDCG@10 0.349 (v1) → 0.406 (v2); see docs/opensearch.md.
 * v3: `title.lowercase`, the whole title as one lowercased keyword, for the tenant admin's document
 * list filter (a substring of the title); additive, so v2 indices are upgraded in place.
 */
export const MAPPING_VERSION = 3;

/** The title as one lowercased keyword (v3), matched by the document list's filter. */
export const TITLE_KEYWORD_FIELD = 'title.lowercase';

/** Checked against the client's typings of the index-creation body, so a misspelt setting fails to compile. */
export type IndexDefinition = Required<Pick<API.Indices_Create_RequestBody, 'settings' | 'mappings'>>;

export interface IndexDefinitionOptions {
  /** Replica shards per index; 0 suits a single-node cluster, 1 or more a production one. */
  readonly replicas: number;
  /** Primary shards; 1 for a workspace's own index, more for an index many workspaces share. Default 1. */
  readonly shards?: number;
  /**
   * The mapping version to build (2 or later); default MAPPING_VERSION. Tests build a v2 index with it to
   * check the in-place upgrade (mapping-upgrade.ts); v1 indices are no longer built.
   */
  readonly version?: number;
}

/** Analyzer and field names shared by the mapping and the query builder. */
export const TEXT_ANALYZER = 'tessera_text';
/** Title and body as one field: one length, one set of statistics, as textbook BM25 scores a document. */
export const TITLE_AND_TEXT_FIELD = 'title_and_text';

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

/**
 * The mapping version an index holds is recorded in its `_meta` (`mapping_version`), because an index
 * upgraded in place (additive changes, see ADDITIVE_UPGRADES) keeps the name of the version it was created at.
 */
export const MAPPING_VERSION_META = 'mapping_version';

/** The `title` field: v3 adds the lowercased keyword multi-field. */
function titleField(version: number) {
  return {
    type: 'text' as const,
    analyzer: TEXT_ANALYZER,
    copy_to: TITLE_AND_TEXT_FIELD,
    // ignore_above counts characters: 8,191 of at most 4 UTF-8 bytes stay under Lucene's 32,766-byte term.
    ...(version >= 3 ? { fields: { lowercase: { type: 'keyword' as const, normalizer: 'tessera_lowercase', ignore_above: 8_191 } } } : {}),
  };
}

/**
 * A mapping change an existing index can take in place: `properties` are sent with `PUT <index>/_mapping`
 * (OpenSearch accepts a new multi-field on an existing field, nothing that changes how existing terms
 * were indexed), then `_update_by_query` re-indexes the documents `missing` names so they get it.
 */
export interface AdditiveUpgrade {
  readonly properties: NonNullable<API.Indices_PutMapping_RequestBody['properties']>;
  /** A field every document has once upgraded (documents lacking it are the ones to re-index). */
  readonly missing: string;
}

/**
 * Upgrades keyed by the version they reach from the one before. A version missing here changed
 * something existing documents cannot take in place (an analyzer, a field type): reindexWorkspace.
 */
export const ADDITIVE_UPGRADES: Readonly<Record<number, AdditiveUpgrade>> = {
  3: { properties: { title: titleField(3) }, missing: TITLE_KEYWORD_FIELD },
};

export function indexDefinition(options: IndexDefinitionOptions): IndexDefinition {
  const version = options.version ?? MAPPING_VERSION;
  return {
    settings: {
      index: {
        // A workspace's own index: one shard keeps its term statistics in one place (identical
        // documents score identically, so the id tie-break is stable). A shared index has a few, and
        // routing by workspace keeps each workspace's documents on one of them.
        number_of_shards: options.shards ?? 1,
        number_of_replicas: options.replicas,
        // Set explicitly so the shard never goes "search idle" and skips refreshes: a written
        // document is searchable within a second even in a quiet workspace.
        refresh_interval: '1s',
      },
      analysis: {
        filter: {
          tessera_possessive: { type: 'stemmer', language: 'possessive_english' },
          // The same list as the PostgreSQL backend's analyzer (Lucene's `_english_` has only 33 words
          // and keeps "were", "what", "how"…, which then weigh on long natural-language queries).
          tessera_english_stop: { type: 'stop', stopwords: [...ENGLISH_STOP_WORDS] },
          // Porter, the stemmer §6a measured; "light_english" (KStem) would stem less aggressively.
          tessera_english_stem: { type: 'stemmer', language: 'english' },
        },
        normalizer: {
          tessera_lowercase: { type: 'custom', filter: ['lowercase'] },
        },
        analyzer: {
          [TEXT_ANALYZER]: { type: 'custom', tokenizer: 'standard', filter: TEXT_FILTERS },
        },
      },
    },
    mappings: {
      // Unknown top-level fields are a bug in this adapter: fail the write instead of guessing a type.
      dynamic: 'strict',
      // v2 indices were created without it (as shipped); their name says their version.
      ...(version >= 3 ? { _meta: { [MAPPING_VERSION_META]: version } } : {}),
      properties: {
        // The owner: every alias filters on it, every search and quarantine listing filters on it again.
        workspace_id: { type: 'keyword' },
        id: { type: 'keyword' },
        title: titleField(version),
        text: { type: 'text', analyzer: TEXT_ANALYZER, copy_to: TITLE_AND_TEXT_FIELD },
        // Filled by copy_to only (never in _source); word pairs were dropped in v2: on the real engine
        // they cost nDCG@10 (0.406 → 0.398 at a 0.1 boost).
        [TITLE_AND_TEXT_FIELD]: { type: 'text', analyzer: TEXT_ANALYZER },
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
        // The optional fields (last_modified, …), mapped by their kind.
        ...Object.fromEntries(OPTIONAL_DOCUMENT_FIELD_NAMES.map((name) => [optionalFieldDefinition(name).column, optionalFieldDefinition(name).type.openSearch])),
      },
    },
  };
}

