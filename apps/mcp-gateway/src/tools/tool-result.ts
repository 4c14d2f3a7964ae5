/** MCP tool results: JSON text content (OpenAI's contract) mirrored as structuredContent. */
export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Per result built here: the JSON text of its value, and where known already, the whole result's JSON. */
const serialization = new WeakMap<ToolResult, { value: string; result?: string }>();

export function jsonToolResult(value: Record<string, unknown>): ToolResult {
  const text = JSON.stringify(value);
  const result: ToolResult = { content: [{ type: 'text', text }], structuredContent: value };
  serialization.set(result, { value: text });
  return result;
}

/** A serialized JSON tool result, and where in it the value's JSON text lies. */
export interface SerializedToolResult {
  readonly json: string;
  readonly valueStart: number;
}

/** Serializes a JSON tool result of `value` (what serializeToolResult returns for jsonToolResult(value)). */
export function serializeJsonToolResult(value: Record<string, unknown>): SerializedToolResult {
  const text = JSON.stringify(value);
  const head = `{"content":[{"type":"text","text":${jsonStringOfJson(text)}}],"structuredContent":`;
  return { json: `${head}${text}}`, valueStart: head.length };
}

/**
 * The tool result of `value`, already serialized as `serialized` (from serializeJsonToolResult of an
 * equal value): serializeToolResult returns that text as it is, and the text content is a slice of it,
 * so the result adds next to nothing to what is kept of the serialization.
 */
export function preserializedToolResult(value: Record<string, unknown>, serialized: SerializedToolResult): ToolResult {
  const text = serialized.json.slice(serialized.valueStart, serialized.json.length - 1);
  const result: ToolResult = { content: [{ type: 'text', text }], structuredContent: value };
  serialization.set(result, { value: text, result: serialized.json });
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
  const known = serialization.get(result);
  if (known === undefined) return JSON.stringify(result);
  return (known.result ??= `{"content":[{"type":"text","text":${jsonStringOfJson(known.value)}}],"structuredContent":${known.value}}`);
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
