/** JSON-RPC 2.0 as MCP uses it: error codes, message shapes and a validator that never throws. */
export const JsonRpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** MCP 2026-07-28: an HTTP header disagrees with the body, or a required one is missing or malformed. */
  HeaderMismatch: -32020,
  /** MCP 2026-07-28: the requested protocol version is not one the server speaks (`data: {supported, requested}`). */
  UnsupportedProtocolVersion: -32022,
  /** 2025 era: an implementation-defined server error (JSON-RPC reserves -32000 to -32099 for those). */
  RateLimited: -32029,
  /**
   * 2026-07-28 reserves -32020…-32099 for codes the specification defines and discourages
   * -32000…-32019, so rate limiting (HTTP 429) takes an application code outside JSON-RPC's range.
   */
  RateLimitedApplication: -31029,
} as const;

export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

export type ParsedMessage =
  | { kind: 'request'; request: JsonRpcRequest }
  | { kind: 'notification'; method: string }
  | { kind: 'response' }
  | { kind: 'invalid'; id: JsonRpcId | null; message: string };

const MAX_ID_LENGTH = 256;

/** Classifies one JSON value from the body as MCP's JSON-RPC message kinds, or says why it is invalid. */
export function parseMessage(value: unknown): ParsedMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', id: null, message: 'a JSON-RPC message must be an object' };
  }
  const message = value as Record<string, unknown>;
  const id = validId(message.id);
  if (message.jsonrpc !== '2.0') return { kind: 'invalid', id, message: 'jsonrpc must be "2.0"' };
  if ('result' in message || 'error' in message) return { kind: 'response' };
  if (typeof message.method !== 'string' || message.method.length === 0 || message.method.length > 128) {
    return { kind: 'invalid', id, message: 'method must be a non-empty string' };
  }
  if (message.params !== undefined && (typeof message.params !== 'object' || message.params === null || Array.isArray(message.params))) {
    return { kind: 'invalid', id, message: 'params must be an object' };
  }
  if (!('id' in message)) return { kind: 'notification', method: message.method };
  if (id === null) {
    return { kind: 'invalid', id: null, message: `id must be a string (at most ${MAX_ID_LENGTH} characters) or an integer` };
  }
  return { kind: 'request', request: { id, method: message.method, params: (message.params as Record<string, unknown>) ?? {} } };
}

/** The id of a single message that could not be served, when it can be read (an error echoes it). */
export function readableId(value: unknown): JsonRpcId | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return validId((value as Record<string, unknown>).id);
}

function validId(id: unknown): JsonRpcId | null {
  if (typeof id === 'string' && id.length <= MAX_ID_LENGTH) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  return null;
}

export function resultMessage(id: JsonRpcId, result: unknown): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${JSON.stringify(result)}}`;
}

/** A JSON-RPC message as sent: text, or UTF-8 bytes where its result was serialized to bytes already. */
export type MessageBody = string | Buffer;

const RESULT_END = Buffer.from('}');

/**
 * For results serialized already (tools/list at startup, a held document's fetch result): no
 * per-request stringify. `leadingMembers` (`"a":1,"b":2`) are spliced in as the result's first
 * members: the 2026 era's resultType and server info around a result both eras share.
 */
export function preserializedResultMessage(id: JsonRpcId, resultJson: string, leadingMembers?: string): string;
export function preserializedResultMessage(id: JsonRpcId, resultJson: MessageBody, leadingMembers?: string): MessageBody;
export function preserializedResultMessage(id: JsonRpcId, resultJson: MessageBody, leadingMembers?: string): MessageBody {
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`;
  if (leadingMembers === undefined) {
    if (typeof resultJson === 'string') return `${head}${resultJson}}`;
    return Buffer.concat([Buffer.from(head), resultJson, RESULT_END]);
  }
  // Every MCP result is a JSON object: its text starts with "{".
  const empty = resultJson.length === 2;
  const opening = `${head}{${leadingMembers}${empty ? '' : ','}`;
  if (typeof resultJson === 'string') return `${opening}${resultJson.slice(1)}}`;
  return Buffer.concat([Buffer.from(opening), resultJson.subarray(1), RESULT_END]);
}

/** `id` undefined leaves the member out (2026-07-28 errors whose request id could not be read). */
export function errorMessage(id: JsonRpcId | null | undefined, code: number, message: string, data?: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } });
}
