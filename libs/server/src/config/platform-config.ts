import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseTrustProxy, type TrustProxySetting } from '../http/client-address';
import { generateSecret } from '../security/secrets';

/** Settings every app shares. Only this folder reads process.env. */
export interface PlatformConfig {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly databaseUrl?: string;
  readonly dataDir: string;
  /** Absent only in the MCP gateway given TESSERA_QUERY_HASH_KEY: a tenant namespace must not hold it. */
  readonly adminToken?: string;
  /** True when the admin token was generated here (the embedded demo) rather than configured. */
  readonly adminTokenGenerated: boolean;
  /** True when this load generated it (the first start of the embedded default): the only time it is printed. */
  readonly adminTokenCreated: boolean;
  /** Browser origins allowed to call the MCP endpoint (DNS-rebinding protection). */
  readonly allowedOrigins: readonly string[];
  readonly logLevel: string;
  readonly seedDemo: boolean;
  /** Seals secrets stored for tenants (IdP client secrets). Defaults to one derived from the admin token (absent without either). */
  readonly encryptionKey?: string;
  /** TESSERA_PREVIOUS_ENCRYPTION_KEYS: earlier encryption keys, which only open what they sealed (rotation). */
  readonly previousEncryptionKeys?: readonly string[];
  /** Redis for rate limits shared across replicas; absent → limits are kept per process. */
  readonly redisUrl?: string;
  /** Audit events older than this are deleted (0 keeps them forever). */
  readonly auditRetentionDays: number;
  /** TESSERA_DEV_ALLOW_LOOPBACK_METADATA: tests and local development may name loopback http issuers and metadata URLs. */
  readonly devAllowLoopbackMetadata: boolean;
  /** TRUST_PROXY: which peers may set X-Forwarded-For/-Proto/-Host (a hop count or addresses); nothing by default. */
  readonly trustProxy: TrustProxySetting;
  /** HMAC key for the query hashes in the audit log: TESSERA_QUERY_HASH_KEY, else derived from the admin token as before. */
  readonly queryHashKey: Buffer;
}

/** What an app that cannot run without the admin token gets: tenant-api, auth and the standalone. */
export type AdminPlatformConfig = PlatformConfig & { readonly adminToken: string; readonly encryptionKey: string };

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_ALLOWED_ORIGINS = ['https://chatgpt.com', 'https://chat.openai.com'];

export interface LoadConfigOptions {
  /** The embedded default may generate the admin token; a deployed app must be given one. */
  readonly allowGeneratedAdminToken: boolean;
}

/**
 * The MCP gateway needs the admin token only to derive its query-hash key, so TESSERA_QUERY_HASH_KEY replaces it
 * (least secret in a tenant namespace); one of them is required.
 */
export interface GatewayConfigOptions {
  readonly allowGeneratedAdminToken: false;
  readonly adminTokenOrQueryHashKey: true;
}

/** The admin token, for the apps that cannot run without it (tenant-api, auth, the standalone): never the gateway's. */
export function requiredAdminToken(config: PlatformConfig): string {
  if (config.adminToken === undefined) throw new ConfigError('TESSERA_ADMIN_TOKEN', 'is required (at least 24 random characters)');
  return config.adminToken;
}

/** The key that seals tenants' secrets, for the apps that seal them (auth, tenant-api): never the gateway's. */
export function requiredEncryptionKey(config: PlatformConfig): string {
  if (config.encryptionKey === undefined) throw new ConfigError('TESSERA_ENCRYPTION_KEY', 'is required (or TESSERA_ADMIN_TOKEN to derive it from)');
  return config.encryptionKey;
}

const QUERY_HASH_LABEL = 'tessera:query-hash:v1';

export function loadPlatformConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions): AdminPlatformConfig;
export function loadPlatformConfig(env: NodeJS.ProcessEnv, options: GatewayConfigOptions): PlatformConfig;
export function loadPlatformConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions | GatewayConfigOptions): PlatformConfig {
  const port = parsePort(env.PORT ?? '8080');
  const publicUrl = parsePublicUrl(env.PUBLIC_URL ?? `http://localhost:${port}`);
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
  }
  const configuredToken = env.TESSERA_ADMIN_TOKEN?.trim();
  if (configuredToken !== undefined && configuredToken.length < 24) {
    throw new ConfigError('TESSERA_ADMIN_TOKEN', 'must be at least 24 characters');
  }
  const configuredQueryKey = parseQueryHashKey(env.TESSERA_QUERY_HASH_KEY);
  const tokenOptional = 'adminTokenOrQueryHashKey' in options && configuredQueryKey !== undefined;
  if (!configuredToken && !options.allowGeneratedAdminToken && !tokenOptional) {
    throw 'adminTokenOrQueryHashKey' in options
      ? new ConfigError('TESSERA_QUERY_HASH_KEY', 'or TESSERA_ADMIN_TOKEN is required (the query-hash key; give the gateway TESSERA_QUERY_HASH_KEY, at least 32 characters)')
      : new ConfigError('TESSERA_ADMIN_TOKEN', 'is required (at least 24 random characters)');
  }
  const adminTokenCreated = !configuredToken && options.allowGeneratedAdminToken && !existsSync(join(dataDir, 'admin-token'));
  const adminToken = configuredToken || (options.allowGeneratedAdminToken ? readOrCreateAdminToken(dataDir) : undefined);
  if (env.TESSERA_ENCRYPTION_KEY !== undefined && env.TESSERA_ENCRYPTION_KEY.length < 32) {
    throw new ConfigError('TESSERA_ENCRYPTION_KEY', 'must be at least 32 characters');
  }
  const previousEncryptionKeys = (env.TESSERA_PREVIOUS_ENCRYPTION_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (previousEncryptionKeys.some((k) => k.length < 32)) {
    throw new ConfigError('TESSERA_PREVIOUS_ENCRYPTION_KEYS', 'entries must be at least 32 characters each');
  }
  const extraOrigins = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of extraOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new ConfigError('ALLOWED_ORIGINS', `has "${origin}", not an origin`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    publicUrl,
    databaseUrl,
    dataDir,
    adminToken,
    adminTokenGenerated: !configuredToken,
    adminTokenCreated,
    allowedOrigins: [...DEFAULT_ALLOWED_ORIGINS, new URL(publicUrl).origin, ...extraOrigins],
    logLevel: env.LOG_LEVEL ?? 'info',
    seedDemo: (env.TESSERA_SEED_DEMO ?? 'true') !== 'false',
    encryptionKey: env.TESSERA_ENCRYPTION_KEY || (adminToken === undefined ? undefined : `derived-from-admin-token:${adminToken}`),
    previousEncryptionKeys,
    redisUrl: parseRedisUrl(env.REDIS_URL),
    auditRetentionDays: parseNonNegative(env.AUDIT_RETENTION_DAYS ?? '90', 'AUDIT_RETENTION_DAYS'),
    devAllowLoopbackMetadata: env.TESSERA_DEV_ALLOW_LOOPBACK_METADATA === 'true',
    trustProxy: loadTrustProxy(env.TRUST_PROXY),
    queryHashKey: configuredQueryKey ?? queryHashKeyFromAdminToken(adminToken),
  };
}

/** The derivation every installation used before TESSERA_QUERY_HASH_KEY existed (the chart adopts it on upgrade). */
function queryHashKeyFromAdminToken(adminToken: string | undefined): Buffer {
  if (adminToken === undefined) throw new ConfigError('TESSERA_QUERY_HASH_KEY', 'or TESSERA_ADMIN_TOKEN is required');
  return createHmac('sha256', adminToken).update(QUERY_HASH_LABEL).digest();
}

/**
 * TESSERA_QUERY_HASH_KEY is base64url (at least 32 characters) and the HMAC key is its decoded bytes, so the chart can
 * adopt the key an installation used to derive from its admin token (base64url of that digest) and keep hashes comparable.
 */
function parseQueryHashKey(value: string | undefined): Buffer | undefined {
  const key = value?.trim();
  if (!key) return undefined;
  if (!/^[A-Za-z0-9_-]{32,}$/.test(key)) {
    throw new ConfigError('TESSERA_QUERY_HASH_KEY', 'must be at least 32 base64url characters (A–Z, a–z, 0–9, - and _)');
  }
  return Buffer.from(key, 'base64url');
}

function loadTrustProxy(value: string | undefined): TrustProxySetting {
  const parsed = parseTrustProxy(value);
  if ('problem' in parsed) throw new ConfigError('TRUST_PROXY', parsed.problem);
  return parsed;
}

function parseRedisUrl(value: string | undefined): string | undefined {
  const url = value?.trim();
  if (!url) return undefined;
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
  return url;
}

function parseNonNegative(value: string, variable: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(variable, `must be a whole number ≥ 0, got "${value}"`);
  return n;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', `must be 0–65535, got "${value}"`);
  return port;
}

function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('PUBLIC_URL', `is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('PUBLIC_URL', 'must be http(s)');
  if (url.search || url.hash) throw new ConfigError('PUBLIC_URL', 'must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

/** The embedded default keeps a generated admin token in DATA_DIR (mode 0600) so restarts keep it. */
function readOrCreateAdminToken(dataDir: string): string {
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const token = generateSecret('tsa');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
