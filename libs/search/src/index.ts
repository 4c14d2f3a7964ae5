export * from './search-backend.port';
export { PostgresSearchBackend } from './postgres/postgres-search.backend';
export { BM25F } from './postgres/bm25';
export { prepareDocument, type DocumentInput } from './document-preparation';
export { analyze, analyzeQuery, normalizeText, termFrequencies } from './analysis';
export { htmlToText, htmlTitle } from './hygiene/html-to-text';
export { SearchModule } from './search.module';
