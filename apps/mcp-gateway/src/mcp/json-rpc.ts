/** JSON-RPC 2.0 as MCP uses it: error codes, message shapes and a validator that never throws. */
export const JsonRpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Implementation-defined server error (JSON-RPC reserves -32000 to -32099). */
  RateLimited: -32029,
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

/** For results serialized already (tools/list at startup, a held document's fetch result): no per-request stringify. */
export function preserializedResultMessage(id: JsonRpcId, resultJson: string): string;
export function preserializedResultMessage(id: JsonRpcId, resultJson: MessageBody): MessageBody;
export function preserializedResultMessage(id: JsonRpcId, resultJson: MessageBody): MessageBody {
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":`;
  if (typeof resultJson === 'string') return `${head}${resultJson}}`;
  return Buffer.concat([Buffer.from(head), resultJson, RESULT_END]);
}

export function errorMessage(id: JsonRpcId | null, code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } });
}
