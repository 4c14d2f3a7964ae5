import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadSearchBackendSelection, SearchConfigError } from './opensearch.config';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('search backend configuration', () => {
  it('defaults to PostgreSQL', () => {
    expect(loadSearchBackendSelection({})).toStrictEqual({ kind: 'postgres' });
  });

  it('reads the PostgreSQL postings cache size in MB, and refuses a bad one by name', () => {
    expect(loadSearchBackendSelection({ SEARCH_CACHE_MB: '64' })).toStrictEqual({ kind: 'postgres', postingsCacheBytes: 64 * 1024 * 1024 });
    expect(loadSearchBackendSelection({ SEARCH_CACHE_MB: '0' })).toStrictEqual({ kind: 'postgres', postingsCacheBytes: 0 });
    for (const bad of ['-1', 'lots', '1.5']) {
      assert.throws(() => loadSearchBackendSelection({ SEARCH_CACHE_MB: bad }), (e: unknown) => e instanceof SearchConfigError && /SEARCH_CACHE_MB/.test(e.message));
    }
  });

  it('reads the fetched-document cache size in MB, and refuses a bad one by name', () => {
    expect(loadSearchBackendSelection({ DOCUMENT_CACHE_MB: '32' })).toStrictEqual({ kind: 'postgres', documentCacheBytes: 32 * 1024 * 1024 });
    expect(loadSearchBackendSelection({ DOCUMENT_CACHE_MB: '0', SEARCH_CACHE_MB: '16' })).toStrictEqual({
      kind: 'postgres',
      postingsCacheBytes: 16 * 1024 * 1024,
      documentCacheBytes: 0,
    });
    for (const bad of ['-5', 'all', '2.5']) {
      assert.throws(() => loadSearchBackendSelection({ DOCUMENT_CACHE_MB: bad }), (e: unknown) => e instanceof SearchConfigError && /DOCUMENT_CACHE_MB/.test(e.message));
    }
  });

  it('reads the OpenSearch connection, timeout and replicas', () => {
    const selection = loadSearchBackendSelection({
      SEARCH_BACKEND: 'opensearch',
      OPENSEARCH_URL: 'https://search.internal:9200/',
      OPENSEARCH_USERNAME: 'tessera',
      OPENSEARCH_PASSWORD: 's3cret',
      OPENSEARCH_CA_PEM: PEM,
      OPENSEARCH_REQUEST_TIMEOUT_MS: '2500',
      OPENSEARCH_REPLICAS: '2',
      OPENSEARCH_SHARED_SHARDS: '4',
      OPENSEARCH_DEDICATED_ABOVE_DOCUMENTS: '20000',
      OPENSEARCH_MINIMUM_SHOULD_MATCH: '3<-25%',
    });
    assert.equal(selection.kind, 'opensearch');
    if (selection.kind !== 'opensearch') return;
    expect(selection.options).toStrictEqual({
      node: 'https://search.internal:9200',
      auth: { username: 'tessera', password: 's3cret' },
      caPem: PEM.trim(),
      requestTimeoutMs: 2500,
      replicas: 2,
      sharedShards: 4,
      dedicatedAboveDocuments: 20000,
      minimumShouldMatch: '3<-25%',
    });
  });

  it('reads the CA from a file and per-workspace credentials from a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-os-'));
    writeFileSync(join(dir, 'ca.pem'), PEM);
    writeFileSync(join(dir, 'ws-1'), JSON.stringify({ username: 'u1', password: 'p1' }));
    const selection = loadSearchBackendSelection({
      SEARCH_BACKEND: 'opensearch',
      OPENSEARCH_URL: 'https://search.internal:9200',
      OPENSEARCH_CA_FILE: join(dir, 'ca.pem'),
      OPENSEARCH_WORKSPACE_CREDENTIALS_DIR: dir,
    });
    if (selection.kind !== 'opensearch') return assert.fail('expected opensearch');
    assert.equal(selection.options.caPem, PEM);
    assert.equal(selection.options.requestTimeoutMs, 3000);
    expect(await selection.options.workspaceCredentials!('ws-1')).toStrictEqual({ username: 'u1', password: 'p1' });
    assert.equal(await selection.options.workspaceCredentials!('ws-2'), null);
    assert.equal(await selection.options.workspaceCredentials!('../ca.pem'), null, 'ids never become paths');
  });

  it('fails fast with a message that names the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ SEARCH_BACKEND: 'elastic' }, /SEARCH_BACKEND must be/],
      [{ SEARCH_BACKEND: 'opensearch' }, /OPENSEARCH_URL is required/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'ftp://x' }, /OPENSEARCH_URL must be http/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'https://u:p@x' }, /OPENSEARCH_URL must not contain credentials/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'https://x', OPENSEARCH_USERNAME: 'u' }, /OPENSEARCH_PASSWORD must be set together/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'http://x', OPENSEARCH_CA_PEM: PEM }, /OPENSEARCH_URL must be https/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'https://x', OPENSEARCH_CA_PEM: 'nope' }, /OPENSEARCH_CA_PEM does not hold a PEM/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'https://x', OPENSEARCH_CA_FILE: '/nonexistent/ca.pem' }, /OPENSEARCH_CA_FILE cannot be read/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'https://x', OPENSEARCH_REQUEST_TIMEOUT_MS: '0' }, /OPENSEARCH_REQUEST_TIMEOUT_MS must be an integer/],
      [{ SEARCH_BACKEND: 'opensearch', OPENSEARCH_URL: 'https://x', OPENSEARCH_MINIMUM_SHOULD_MATCH: 'most' }, /OPENSEARCH_MINIMUM_SHOULD_MATCH must be/],
    ];
    for (const [env, message] of cases) assert.throws(() => loadSearchBackendSelection(env), (e: unknown) => e instanceof SearchConfigError && message.test(e.message));
  });
});
