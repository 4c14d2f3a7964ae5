/**
 * Removes secrets and user text from objects before they are logged: values under sensitive keys are
 * replaced wherever they appear (any depth, arrays, errors, any key spelling: `Set-Cookie`, `set_cookie`,
 * `setCookie`), and query strings are cut from URL-like fields. The input is never mutated; objects are
 * copied only along the paths that change, so clean objects cost one walk and no allocation.
 *
 * Message strings are not scanned: put variable data in fields, never in the message.
 */

export const REDACTED = '[REDACTED]';

/** Keys whose values are never logged, compared without case, `-` and `_`. */
export const SENSITIVE_KEYS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwd',
  'client_secret',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'registration_access_token',
  'admin_token',
  'api_key',
  'x-api-key',
  'client_assertion',
  'code',
  'code_verifier',
  'query',
  // SQL parameters (TypeORM's QueryFailedError) carry search text and document content.
  'parameters',
];

/** Keys whose string values are URLs: their query string (OAuth codes, state, search text) is dropped. */
const URL_KEYS = new Set(['url', 'originalurl', 'path', 'href', 'location', 'referer', 'referrer', 'redirecturi', 'redirectto']);

const SENSITIVE = new Set(SENSITIVE_KEYS.map(normalizeUncached));
const MAX_DEPTH = 8;
const normalized = new Map<string, string>();

function normalizeUncached(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function normalize(key: string): string {
  let n = normalized.get(key);
  if (n === undefined) {
    n = normalizeUncached(key);
    if (normalized.size < 2_000) normalized.set(key, n);
  }
  return n;
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE.has(normalize(key));
}

/** Cuts the query string (and fragment) from a URL or path: `/cb?code=…` → `/cb?[REDACTED]`. */
export function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : `${url.slice(0, cut)}?${REDACTED}`;
}

/** Returns `value` with every sensitive field replaced; the same reference when nothing needed it. */
export function redact<T>(value: T): T {
  return walk(value, 0, new Map()) as T;
}

/**
 * For a whole log record: like redact, but a top-level `err` Error is left for the `err` serializer
 * (which keeps its type and redacts its output with redactSerializedError).
 */
export function redactLogRecord<T extends object>(record: T): T {
  const err = (record as { err?: unknown }).err;
  if (!(err instanceof Error)) return redact(record);
  const { err: _err, ...rest } = record as Record<string, unknown>;
  const clean = redact(rest);
  return (clean === rest ? record : { ...clean, err }) as T;
}

/**
 * For pino's `err` serializer output: like redact, but the error's own top-level `code` (a Node system
 * code such as ECONNREFUSED, or an SQLSTATE) stays readable; nested `code` fields are still redacted.
 */
export function redactSerializedError<T>(serialized: T): T {
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const { code, ...rest } = serialized as Record<string, unknown>;
  const clean = walk(rest, 0, new Map()) as Record<string, unknown>;
  return (code === undefined ? clean : { ...clean, code: typeof code === 'string' || typeof code === 'number' ? code : REDACTED }) as T;
}

/** Objects already walked map to their clean version (shared references stay clean); cycles are cut. */
type Memo = Map<object, unknown>;
const IN_PROGRESS = Symbol('in progress');

function walk(value: unknown, depth: number, memo: Memo): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || !walkable(value)) return value;
  const known = memo.get(value);
  if (known !== undefined) return known === IN_PROGRESS ? '[Circular]' : known;
  memo.set(value, IN_PROGRESS);
  const clean = Array.isArray(value) ? walkArray(value, depth, memo) : walkObject(value, depth, memo);
  memo.set(value, clean);
  return clean;
}

function walkArray(value: unknown[], depth: number, memo: Memo): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const clean = walk(item, depth + 1, memo);
    if (clean !== item) (copy ??= value.slice())[i] = clean;
  }
  return copy ?? value;
}

function walkObject(value: object, depth: number, memo: Memo): object {
  let copy: Record<string, unknown> | undefined;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const item = source[key];
    const clean = cleanField(key, item, depth, memo);
    if (clean !== item) (copy ??= copyOf(value))[key] = clean;
  }
  return copy ?? value;
}

function cleanField(key: string, item: unknown, depth: number, memo: Memo): unknown {
  const n = normalize(key);
  if (SENSITIVE.has(n)) return item === undefined || item === null || item === '' ? item : REDACTED;
  if (URL_KEYS.has(n)) {
    if (typeof item === 'string') return stripQuery(item);
    if (item instanceof URL) return stripQuery(item.href);
  }
  return walk(item, depth + 1, memo);
}

/** A shallow copy that keeps what JSON would show; errors keep their name, message and stack. */
function copyOf(value: object): Record<string, unknown> {
  if (value instanceof Error) return { type: value.name, stack: value.stack, ...value, message: value.message };
  return { ...value };
}

function walkable(value: object): boolean {
  if (Array.isArray(value) || value instanceof Error) return true;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return true;
  // Class instances with their own JSON form (Date, Buffer, URL, Decimal…) and binary data are left alone.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Map || value instanceof Set) return false;
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
