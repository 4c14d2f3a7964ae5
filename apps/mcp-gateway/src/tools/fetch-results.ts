import { DEFAULT_FLAGGED_DOCUMENT_POLICY, type FlaggedDocumentPolicy, type StoredDocument } from '@tessera/domain';
import { preserializedToolResult, serializeJsonToolResult, type SerializedToolResult, type ToolResult } from './tool-result';

export const MAX_FETCH_TEXT_CHARS = 200_000;

/**
 * fetch's results, serialized once per document object: a backend that holds fetched documents in
 * memory (PostgreSQL, DOCUMENT_CACHE_MB) returns the same object for as long as the document is
 * unchanged, and a document fetched again is answered with the same bytes, as they are. Keyed weakly,
 * so they live exactly as long as their document; the document cache counts them in its size.
 */
const serialized = new WeakMap<StoredDocument, { plain?: SerializedToolResult; annotated?: SerializedToolResult }>();

/** The document as fetch returns it, with its flags shown to the model unless the workspace serves flagged documents plainly. */
export function fetchResult(document: StoredDocument, policy: FlaggedDocumentPolicy = DEFAULT_FLAGGED_DOCUMENT_POLICY): ToolResult {
  const annotate = policy !== 'serve' && document.flags.length > 0;
  const value = fetchValue(document, annotate);
  let known = serialized.get(document);
  if (!known) serialized.set(document, (known = {}));
  return preserializedToolResult(value, (known[annotate ? 'annotated' : 'plain'] ??= serializeJsonToolResult(value)));
}

function fetchValue(document: StoredDocument, annotate: boolean): Record<string, unknown> {
  const truncated = document.text.length > MAX_FETCH_TEXT_CHARS;
  const text = truncated ? document.text.slice(0, MAX_FETCH_TEXT_CHARS) : document.text;
  const metadata = {
    ...document.metadata,
    ...(truncated ? { truncated: true } : {}),
    // Tells the model this text contains instructions aimed at it, so it treats them as data.
    ...(annotate ? { flags: [...document.flags] } : {}),
  };
  return { id: document.id, title: document.title, text, url: document.url, metadata };
}
