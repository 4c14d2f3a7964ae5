import { readDocumentFile } from '@tessera/domain';

/**
 * Turns a chosen file into NDJSON lines for documents:bulk, read exactly as `tessera ingest` reads the
 * same file (the shared document file formats in libs/domain): md/txt/html by their content and name,
 * json (one document or an array) and ndjson checked entry by entry. A file with any entry that cannot
 * be sent is refused whole, naming the first bad entry (file:line or file#index), before anything is sent.
 */
export function toNdjson(name: string, content: string, lastModified?: number): string {
  const entries = readDocumentFile({ name, content, modified: lastModified ? new Date(lastModified) : undefined });
  const bad = entries.filter((entry) => !entry.ok);
  const first = bad[0];
  if (first && !first.ok) throw new Error(`${first.location}: ${first.message}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`);
  if (entries.length === 0) throw new Error(`${name}: no documents in this file`);
  return entries.map((entry) => (entry.ok ? JSON.stringify(entry.document) : '')).join('\n');
}
