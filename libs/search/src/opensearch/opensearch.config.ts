import { readFileSync } from 'node:fs';
import type { OpenSearchBackendOptions } from './opensearch-client';
import { credentialsFromDirectory } from './workspace-credentials';

/** Which SearchBackend an app uses, from its environment. */
export type SearchBackendSelection =
  | { readonly kind: 'postgres'; readonly postingsCacheBytes?: number; readonly documentCacheBytes?: number }
  | { readonly kind: 'opensearch'; readonly options: OpenSearchBackendOptions };

/** "3", "-2", "25%", "-25%", or conditions such as "2<-25% 9<-3". */
const MINIMUM_SHOULD_MATCH = /^(?:-?\d+%?|\d+<-?\d+%?(?:\s+\d+<-?\d+%?)*)$/;

export class SearchConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`configuration: ${variable} ${problem}`);
    this.name = 'SearchConfigError';
  }
}

/**
 * SEARCH_BACKEND (postgres | opensearch, default postgres); for PostgreSQL, SEARCH_CACHE_MB (memory for term
 * postings held between searches, default 128, 0 reads them for every search) and DOCUMENT_CACHE_MB (memory for
 * fetched documents, default 128, 0 reads every fetch); for OpenSearch, OPENSEARCH_URL,
 * OPENSEARCH_USERNAME / OPENSEARCH_PASSWORD, OPENSEARCH_CA_PEM or OPENSEARCH_CA_FILE,
 * OPENSEARCH_REQUEST_TIMEOUT_MS, OPENSEARCH_REPLICAS, OPENSEARCH_SHARED_SHARDS,
 * OPENSEARCH_DEDICATED_ABOVE_DOCUMENTS, OPENSEARCH_MINIMUM_SHOULD_MATCH and
 * OPENSEARCH_WORKSPACE_CREDENTIALS_DIR.
 * Validated at boot; every error names the variable.
 */
export function loadSearchBackendSelection(env: NodeJS.ProcessEnv): SearchBackendSelection {
  const kind = (env.SEARCH_BACKEND?.trim() || 'postgres').toLowerCase();
  if (kind === 'postgres') {
    const megabytes = (name: string) => (env[name] === undefined ? undefined : parseInteger(name, env[name], 128, 0, 65_536) * 1024 * 1024);
    const postingsCacheBytes = megabytes('SEARCH_CACHE_MB');
    const documentCacheBytes = megabytes('DOCUMENT_CACHE_MB');
    return {
      kind,
      ...(postingsCacheBytes === undefined ? {} : { postingsCacheBytes }),
      ...(documentCacheBytes === undefined ? {} : { documentCacheBytes }),
    };
  }
  if (kind !== 'opensearch') throw new SearchConfigError('SEARCH_BACKEND', `must be "postgres" or "opensearch", got "${kind}"`);
  return { kind, options: openSearchOptions(env) };
}

function openSearchOptions(env: NodeJS.ProcessEnv): OpenSearchBackendOptions {
  const node = parseUrl(env.OPENSEARCH_URL);
  const username = env.OPENSEARCH_USERNAME?.trim() || undefined;
  const password = env.OPENSEARCH_PASSWORD || undefined;
  if ((username === undefined) !== (password === undefined)) {
    throw new SearchConfigError(username ? 'OPENSEARCH_PASSWORD' : 'OPENSEARCH_USERNAME', 'must be set together with the other');
  }
  const caPem = loadCa(env);
  if (caPem && new URL(node).protocol !== 'https:') throw new SearchConfigError('OPENSEARCH_URL', 'must be https:// when a CA is configured');
  const directory = env.OPENSEARCH_WORKSPACE_CREDENTIALS_DIR?.trim() || undefined;
  const minimumShouldMatch = env.OPENSEARCH_MINIMUM_SHOULD_MATCH?.trim() || undefined;
  if (minimumShouldMatch !== undefined && !MINIMUM_SHOULD_MATCH.test(minimumShouldMatch)) {
    throw new SearchConfigError('OPENSEARCH_MINIMUM_SHOULD_MATCH', 'must be an OpenSearch minimum_should_match such as "20%" or "3<-25%"');
  }
  return {
    node,
    ...(username && password ? { auth: { username, password } } : {}),
    ...(caPem ? { caPem } : {}),
    requestTimeoutMs: parseInteger('OPENSEARCH_REQUEST_TIMEOUT_MS', env.OPENSEARCH_REQUEST_TIMEOUT_MS, 3_000, 100, 60_000),
    replicas: parseInteger('OPENSEARCH_REPLICAS', env.OPENSEARCH_REPLICAS, 1, 0, 10),
    sharedShards: parseInteger('OPENSEARCH_SHARED_SHARDS', env.OPENSEARCH_SHARED_SHARDS, 2, 1, 64),
    dedicatedAboveDocuments: parseInteger('OPENSEARCH_DEDICATED_ABOVE_DOCUMENTS', env.OPENSEARCH_DEDICATED_ABOVE_DOCUMENTS, 50_000, 1, 1_000_000_000),
    ...(minimumShouldMatch ? { minimumShouldMatch } : {}),
    ...(directory ? { workspaceCredentials: credentialsFromDirectory(directory) } : {}),
  };
}

function parseUrl(value: string | undefined): string {
  if (!value?.trim()) throw new SearchConfigError('OPENSEARCH_URL', 'is required when SEARCH_BACKEND=opensearch');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new SearchConfigError('OPENSEARCH_URL', 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SearchConfigError('OPENSEARCH_URL', 'must be http:// or https://');
  // Credentials in a URL end up in logs and process listings; they have their own variables.
  if (url.username || url.password) throw new SearchConfigError('OPENSEARCH_URL', 'must not contain credentials; use OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD');
  return url.toString().replace(/\/+$/, '');
}

function loadCa(env: NodeJS.ProcessEnv): string | undefined {
  const pem = env.OPENSEARCH_CA_PEM?.trim();
  const file = env.OPENSEARCH_CA_FILE?.trim();
  if (pem && file) throw new SearchConfigError('OPENSEARCH_CA_PEM', 'and OPENSEARCH_CA_FILE are exclusive; set one');
  const text = file ? readCaFile(file) : pem;
  if (text !== undefined && !text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SearchConfigError(file ? 'OPENSEARCH_CA_FILE' : 'OPENSEARCH_CA_PEM', 'does not hold a PEM certificate');
  }
  return text;
}

function readCaFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new SearchConfigError('OPENSEARCH_CA_FILE', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function parseInteger(variable: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new SearchConfigError(variable, `must be an integer ${min}–${max}, got "${value}"`);
  return parsed;
}
