/** MCP tool results: JSON text content (OpenAI's contract) mirrored as structuredContent. */
export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** The JSON text of the value of results built by jsonToolResult, so that serializing the result reuses it. */
const serializedValue = new WeakMap<ToolResult, string>();

export function jsonToolResult(value: Record<string, unknown>): ToolResult {
  const text = JSON.stringify(value);
  const result: ToolResult = { content: [{ type: 'text', text }], structuredContent: value };
  serializedValue.set(result, text);
  return result;
}

/** A JSON tool result serialized as UTF-8, and where in it the value's JSON lies. */
export interface SerializedToolResult {
  readonly bytes: Buffer;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** Serializes the JSON tool result of `value` (what serializeToolResult returns for jsonToolResult(value)), as UTF-8. */
export function serializeJsonToolResult(value: Record<string, unknown>): SerializedToolResult {
  const text = JSON.stringify(value);
  const head = `{"content":[{"type":"text","text":${jsonStringOfJson(text)}}],"structuredContent":`;
  const bytes = Buffer.from(`${head}${text}}`);
  return { bytes, valueStart: Buffer.byteLength(head), valueEnd: bytes.length - 1 };
}

/** Results whose serialization is known already, as bytes. */
const preserialized = new WeakMap<ToolResult, SerializedToolResult>();

/**
 * The tool result of `value`, already serialized as `serialized` (from serializeJsonToolResult of an
 * equal value): answered with those bytes as they are (toolResultBody). Its text content is decoded
 * from them only when read, which serving never does; given as a function, so is its structuredContent
 * (built at most once).
 */
export function preserializedToolResult(value: Record<string, unknown> | (() => Record<string, unknown>), serialized: SerializedToolResult): ToolResult {
  const result = {} as ToolResult;
  Object.defineProperty(result, 'content', {
    enumerable: true,
    get: () => [{ type: 'text', text: serialized.bytes.toString('utf8', serialized.valueStart, serialized.valueEnd) }],
  });
  if (typeof value === 'function') {
    let built: Record<string, unknown> | undefined;
    Object.defineProperty(result, 'structuredContent', { enumerable: true, get: () => (built ??= value()) });
  } else {
    result.structuredContent = value;
  }
  preserialized.set(result, serialized);
  return result;
}

/** A failure the model can read and act on; never a protocol error, never internals. */
export function toolError(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * The result as JSON, identical to JSON.stringify(result) but serializing the value once: the text
 * content already is the JSON of structuredContent (a fetched document can be hundreds of KB).
 */
export function serializeToolResult(result: ToolResult): string {
  const bytes = preserialized.get(result)?.bytes;
  if (bytes) return bytes.toString('utf8');
  const text = serializedValue.get(result);
  if (text === undefined) return JSON.stringify(result);
  return `{"content":[{"type":"text","text":${jsonStringOfJson(text)}}],"structuredContent":${text}}`;
}

/** The result as a response body: its bytes where serialized already, else its JSON (serializeToolResult). */
export function toolResultBody(result: ToolResult): string | Buffer {
  return preserialized.get(result)?.bytes ?? serializeToolResult(result);
}

/**
 * JSON.stringify(json) for a string that JSON.stringify produced: such text holds no control
 * characters and no lone surrogates (they are escaped already), so only `\` and `"` need escaping —
 * found by a native search instead of JSON.stringify's character-by-character pass (≈3× faster on a
 * document, which has few of them).
 */
function jsonStringOfJson(json: string): string {
  return `"${json.split('\\').join('\\\\').split('"').join('\\"')}"`;
}
