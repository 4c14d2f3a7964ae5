import { DEFAULT_FLAGGED_DOCUMENT_POLICY, presentOptionalFields, type FlaggedDocumentPolicy, type StoredDocument } from '@tessera/domain';
import { preserializedToolResult, serializeJsonToolResult, type SerializedToolResult, type ToolResult } from './tool-result';

export const MAX_FETCH_TEXT_CHARS = 200_000;

/**
 * fetch's results, serialized once and kept as UTF-8 bytes by the gateway itself, within a byte budget
 * (least recently used out first): a document fetched again is answered with the same bytes, as
 * they are. Keyed by workspace, document id, content hash and variant, never by object identity, so
 * it works with any backend and a changed document is never answered from an older version (its
 * content hash covers title, text, url, metadata, ACL and quarantine; the ACL check happens before,
 * for every request). A budget of 0 keeps nothing.
 */
export class FetchResultCache {
  /** Insertion order is recency: a hit moves its entry to the end. */
  private readonly held = new Map<string, SerializedToolResult>();
  private bytes = 0;

  constructor(readonly budgetBytes: number) {}

  /** Bytes held (the serialized results), for tests. */
  get size(): number {
    return this.bytes;
  }

  /** The document as fetch returns it, with its flags shown to the model unless the workspace serves flagged documents plainly. */
  resultFor(workspaceId: string, document: StoredDocument, policy: FlaggedDocumentPolicy = DEFAULT_FLAGGED_DOCUMENT_POLICY): ToolResult {
    const annotate = policy !== 'serve' && document.flags.length > 0;
    const key = this.budgetBytes > 0 ? `${workspaceId}\u0000${document.id}\u0000${document.contentHash}\u0000${annotate ? document.flags.join(',') : ''}` : undefined;
    const held = key === undefined ? undefined : this.held.get(key);
    if (key !== undefined && held) {
      this.held.delete(key);
      this.held.set(key, held);
      // Sent as the held bytes: the value is built only if something reads it.
      return preserializedToolResult(() => fetchValue(document, annotate), held);
    }
    const value = fetchValue(document, annotate);
    const serialized = serializeJsonToolResult(value);
    if (key !== undefined) this.keep(key, serialized);
    return preserializedToolResult(value, serialized);
  }

  private keep(key: string, serialized: SerializedToolResult): void {
    const cost = entryBytes(key, serialized);
    if (cost > this.budgetBytes / 4) return;
    this.held.set(key, serialized);
    this.bytes += cost;
    while (this.bytes > this.budgetBytes) {
      const [oldestKey, oldest] = this.held.entries().next().value as [string, SerializedToolResult];
      this.held.delete(oldestKey);
      this.bytes -= entryBytes(oldestKey, oldest);
    }
  }
}

const ENTRY_OVERHEAD_BYTES = 200;

function entryBytes(key: string, serialized: SerializedToolResult): number {
  return ENTRY_OVERHEAD_BYTES + 2 * key.length + serialized.bytes.length;
}

/** A result serialized for this call alone (nothing kept). */
export function fetchResult(document: StoredDocument, policy: FlaggedDocumentPolicy = DEFAULT_FLAGGED_DOCUMENT_POLICY): ToolResult {
  return new FetchResultCache(0).resultFor('', document, policy);
}

function fetchValue(document: StoredDocument, annotate: boolean): Record<string, unknown> {
  const truncated = document.text.length > MAX_FETCH_TEXT_CHARS;
  const text = truncated ? document.text.slice(0, MAX_FETCH_TEXT_CHARS) : document.text;
  const metadata = {
    ...document.metadata,
    // Provenance: the optional fields the source gave (lastModified, …).
    ...presentOptionalFields(document),
    ...(truncated ? { truncated: true } : {}),
    // Tells the model this text contains instructions aimed at it, so it treats them as data.
    ...(annotate ? { flags: [...document.flags] } : {}),
  };
  return { id: document.id, title: document.title, text, url: document.url, metadata };
}
