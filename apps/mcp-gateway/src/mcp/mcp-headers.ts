import type { IncomingHttpHeaders } from 'node:http';

const ENCODED_PREFIX = '=?base64?';
const ENCODED_SUFFIX = '?=';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request header's value as the transport compares it: trimmed (RFC 9110 field values exclude
 * surrounding whitespace), undefined when absent. Node lower-cases names, so lookups are
 * case-insensitive; a repeated header arrives joined with ", " and so never matches a body value.
 */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(', ') : value).trim();
}

/**
 * An `Mcp-Name` (or `Mcp-Param-*`) value decoded: the `=?base64?…?=` form carries the UTF-8 bytes of
 * a value that is not plain ASCII. Null when the encoded form is malformed (bad Base64, not UTF-8).
 */
export function decodeHeaderValue(value: string): string | null {
  if (!value.startsWith(ENCODED_PREFIX) || !value.endsWith(ENCODED_SUFFIX) || value.length < ENCODED_PREFIX.length + ENCODED_SUFFIX.length) {
    return value;
  }
  const payload = value.slice(ENCODED_PREFIX.length, value.length - ENCODED_SUFFIX.length);
  if (!BASE64.test(payload)) return null;
  try {
    return UTF8.decode(Buffer.from(payload, 'base64'));
  } catch {
    return null;
  }
}

/** What `Mcp-Name` mirrors for a method: the tool or prompt name, or the resource URI; undefined for other methods. */
export function nameSourceOf(method: string): 'name' | 'uri' | undefined {
  if (method === 'tools/call' || method === 'prompts/get') return 'name';
  if (method === 'resources/read') return 'uri';
  return undefined;
}
