export { FakeOpenSearch, type Interception, type RecordedRequest } from './fake-opensearch';
export type { BulkItemOverride } from './fake-documents';
export { minimumShouldMatch } from './fake-query';
export { startFakeBackend, type FakeBackend } from './fake-harness';
