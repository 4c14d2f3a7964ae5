import type { IncomingHttpHeaders } from 'node:http';
import { JsonRpcErrorCode, type JsonRpcId, type ParsedMessage } from './json-rpc';
import { decodeHeaderValue, headerValue, nameSourceOf } from './mcp-headers';
import {
  BATCHING_PROTOCOL_VERSIONS, LEGACY_PROTOCOL_VERSIONS, LEGACY_VERSION_WITHOUT_HEADER, META_CLIENT_CAPABILITIES, META_PROTOCOL_VERSION, MODERN_PROTOCOL_VERSIONS,
} from './protocol-versions';

export const MAX_BATCH = 20;

/** The methods the 2026-07-28 era serves; everything else (initialize, ping, resources/*, …) is 404 -32601. */
export const MODERN_METHODS: ReadonlySet<string> = new Set(['server/discover', 'tools/list', 'tools/call']);

/** A POST body as JSON-RPC: one message, or a batch of them, each classified. */
export interface Inbound {
  readonly headers: IncomingHttpHeaders;
  readonly batch: boolean;
  /** The JSON values as sent (for `params._meta` and header cross-checks). */
  readonly raw: readonly unknown[];
  /** Each of `raw` classified (left empty for a batch over MAX_BATCH, which is refused unread). */
  readonly messages: readonly ParsedMessage[];
}

export type Era = 'modern' | 'legacy';

/** An answer instead of dispatch: HTTP status, and the JSON-RPC error with the request id when it could be read. */
export interface Rejection {
  readonly status: number;
  /** undefined leaves `id` out (2026-07-28, unreadable); null is JSON-RPC 2.0's "could not be determined" (2025 era). */
  readonly id: JsonRpcId | null | undefined;
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

type Check = (inbound: Inbound) => Rejection | undefined;

/**
 * 2026-07-28 if the body carries `params._meta["io.modelcontextprotocol/protocolVersion"]`, or if the
 * MCP-Protocol-Version header names a 2026-era revision (then a body without that `_meta` is refused
 * as the revision says). Everything else is 2025-era and answered as those revisions say.
 */
export function eraOf(inbound: Inbound): Era {
  if (inbound.raw.some((value) => metaOf(value)?.[META_PROTOCOL_VERSION] !== undefined)) return 'modern';
  const header = headerValue(inbound.headers, 'mcp-protocol-version');
  return header !== undefined && MODERN_PROTOCOL_VERSIONS.includes(header) ? 'modern' : 'legacy';
}

/** The checks of each era, in the order the specification applies them; the first that refuses answers. */
export const CHECKS: Readonly<Record<Era, readonly Check[]>> = {
  modern: [
    singleMessage,
    wellFormedMessage,
    versionHeaderPresent,
    requestMetaPresent,
    versionHeaderMatchesBody,
    versionSupported,
    methodHeaderMatchesBody,
    nameHeaderMatchesBody,
    methodServed,
  ],
  legacy: [legacyVersionHeaderSupported, batchAllowedByVersion, batchSize],
};

export function firstRejection(era: Era, inbound: Inbound): Rejection | undefined {
  for (const check of CHECKS[era]) {
    const rejection = check(inbound);
    if (rejection) return rejection;
  }
  return undefined;
}

// ---- 2026-07-28 (each runs on a single message: singleMessage comes first) ----

function singleMessage(inbound: Inbound): Rejection | undefined {
  if (inbound.batch) return modern(400, undefined, JsonRpcErrorCode.InvalidRequest, 'Invalid request: JSON-RPC batches are not part of MCP 2026-07-28');
  return undefined;
}

function wellFormedMessage({ messages: [message] }: Inbound): Rejection | undefined {
  if (message!.kind === 'invalid') return modern(400, message!.id, JsonRpcErrorCode.InvalidRequest, `Invalid request: ${message!.message}`);
  if (message!.kind === 'response') return modern(400, undefined, JsonRpcErrorCode.InvalidRequest, 'Invalid request: a server takes no JSON-RPC responses');
  return undefined;
}

function versionHeaderPresent(inbound: Inbound): Rejection | undefined {
  if (headerValue(inbound.headers, 'mcp-protocol-version') === undefined) {
    return modern(400, idOf(inbound), JsonRpcErrorCode.HeaderMismatch, 'Header mismatch: the MCP-Protocol-Version header is required');
  }
  return undefined;
}

function requestMetaPresent(inbound: Inbound): Rejection | undefined {
  const meta = metaOf(inbound.raw[0]);
  const missing = [META_PROTOCOL_VERSION, META_CLIENT_CAPABILITIES].filter((key) => meta?.[key] === undefined);
  if (missing.length > 0) return modern(400, idOf(inbound), JsonRpcErrorCode.InvalidParams, `Invalid params: params._meta lacks ${missing.join(', ')}`);
  if (!isObject(meta![META_CLIENT_CAPABILITIES])) {
    return modern(400, idOf(inbound), JsonRpcErrorCode.InvalidParams, `Invalid params: ${META_CLIENT_CAPABILITIES} must be an object`);
  }
  return undefined;
}

function versionHeaderMatchesBody(inbound: Inbound): Rejection | undefined {
  const header = headerValue(inbound.headers, 'mcp-protocol-version');
  const body = metaOf(inbound.raw[0])![META_PROTOCOL_VERSION];
  if (header !== body) {
    return modern(400, idOf(inbound), JsonRpcErrorCode.HeaderMismatch,
      `Header mismatch: MCP-Protocol-Version header ${quote(header)} does not match _meta ${META_PROTOCOL_VERSION} ${quote(body)}`);
  }
  return undefined;
}

function versionSupported(inbound: Inbound): Rejection | undefined {
  const requested = metaOf(inbound.raw[0])![META_PROTOCOL_VERSION];
  if (typeof requested === 'string' && MODERN_PROTOCOL_VERSIONS.includes(requested)) return undefined;
  const shown = typeof requested === 'string' ? requested.slice(0, 64) : JSON.stringify(requested)?.slice(0, 64) ?? '';
  return modern(400, idOf(inbound), JsonRpcErrorCode.UnsupportedProtocolVersion, `Unsupported protocol version: ${shown}`,
    { supported: MODERN_PROTOCOL_VERSIONS, requested: shown });
}

function methodHeaderMatchesBody(inbound: Inbound): Rejection | undefined {
  const message = inbound.messages[0]!;
  if (message.kind !== 'request') return undefined;
  const header = headerValue(inbound.headers, 'mcp-method');
  if (header !== message.request.method) {
    return modern(400, message.request.id, JsonRpcErrorCode.HeaderMismatch,
      `Header mismatch: Mcp-Method header ${quote(header)} does not match body method ${quote(message.request.method)}`);
  }
  return undefined;
}

function nameHeaderMatchesBody(inbound: Inbound): Rejection | undefined {
  const message = inbound.messages[0]!;
  if (message.kind !== 'request') return undefined;
  const source = nameSourceOf(message.request.method);
  if (!source) return undefined;
  const header = headerValue(inbound.headers, 'mcp-name');
  const body = message.request.params[source];
  if (header === undefined && body === undefined) return undefined;
  const decoded = header === undefined ? undefined : decodeHeaderValue(header);
  if (decoded === null) return modern(400, message.request.id, JsonRpcErrorCode.HeaderMismatch, 'Header mismatch: Mcp-Name is not valid =?base64?…?= UTF-8');
  if (decoded !== body) {
    return modern(400, message.request.id, JsonRpcErrorCode.HeaderMismatch,
      `Header mismatch: Mcp-Name header ${quote(decoded)} does not match body params.${source} ${quote(body)}`);
  }
  return undefined;
}

function methodServed(inbound: Inbound): Rejection | undefined {
  const message = inbound.messages[0]!;
  if (message.kind !== 'request' || MODERN_METHODS.has(message.request.method)) return undefined;
  return modern(404, message.request.id, JsonRpcErrorCode.MethodNotFound, `Method not found: ${message.request.method.slice(0, 64)}`);
}

// ---- 2025 era (initialize-based revisions) ----

function legacyVersionHeaderSupported(inbound: Inbound): Rejection | undefined {
  const header = headerValue(inbound.headers, 'mcp-protocol-version');
  if (header === undefined || LEGACY_PROTOCOL_VERSIONS.includes(header)) return undefined;
  return legacy(`unsupported MCP-Protocol-Version ${header.slice(0, 32)}; supported: ${[...MODERN_PROTOCOL_VERSIONS, ...LEGACY_PROTOCOL_VERSIONS].join(', ')}`);
}

function batchAllowedByVersion(inbound: Inbound): Rejection | undefined {
  if (!inbound.batch) return undefined;
  const version = headerValue(inbound.headers, 'mcp-protocol-version') ?? LEGACY_VERSION_WITHOUT_HEADER;
  if (BATCHING_PROTOCOL_VERSIONS.includes(version)) return undefined;
  return legacy(`JSON-RPC batches are not part of MCP ${version}; send one message per request`);
}

function batchSize(inbound: Inbound): Rejection | undefined {
  if (inbound.batch && (inbound.raw.length === 0 || inbound.raw.length > MAX_BATCH)) return legacy(`a batch must hold 1–${MAX_BATCH} messages`);
  return undefined;
}

// ---- helpers ----

function modern(status: number, id: JsonRpcId | null | undefined, code: number, message: string, data?: unknown): Rejection {
  return { status, id: id ?? undefined, code, message, data };
}

function legacy(message: string): Rejection {
  return { status: 400, id: null, code: JsonRpcErrorCode.InvalidRequest, message };
}

/** The single message's id, when it could be read. */
function idOf(inbound: Inbound): JsonRpcId | undefined {
  const message = inbound.messages[0];
  if (message?.kind === 'request') return message.request.id;
  if (message?.kind === 'invalid') return message.id ?? undefined;
  return undefined;
}

function metaOf(value: unknown): Record<string, unknown> | undefined {
  if (!isObject(value) || !isObject(value.params)) return undefined;
  const meta = value.params._meta;
  return isObject(meta) ? meta : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(value: unknown): string {
  return value === undefined ? '(missing)' : JSON.stringify(value).slice(0, 80);
}
