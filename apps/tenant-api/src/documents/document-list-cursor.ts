import { isDocumentId } from '@tessera/domain';

/**
 * The document list's cursor: the last id of a page, base64url-encoded. Opaque to clients (they pass
 * back nextCursor as it came), so its form can change; the list is ordered by id, so paging is stable
 * under writes: a page continues after the id it ended on, whatever was added or removed before it.
 */
export function encodeDocumentCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** The id a cursor continues after, or null when it is not one this API handed out. */
export function decodeDocumentCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,172}$/.test(cursor)) return null;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return isDocumentId(id) && encodeDocumentCursor(id) === cursor ? id : null;
}
