import { parseJsonFile, parseJsonLines, type JsonDocumentOptions, type ParsedEntry } from './json-documents';
import { buildPlainDocument, documentFileKind, DOCUMENT_FILE_EXTENSIONS, idFromRelativePath, isValidFileDocumentId } from './plain-document';

export interface DocumentFile {
  /** The file's name (or path relative to what was chosen), with `/` separators. */
  readonly name: string;
  readonly content: string;
  readonly modified?: Date;
}

/**
 * The documents in one file held in memory, or one failure per entry that cannot be sent (never throws):
 * what the console's upload sends, read exactly as the CLI reads the same file.
 */
export function readDocumentFile(file: DocumentFile, options: JsonDocumentOptions = { idPrefix: '' }): ParsedEntry[] {
  const kind = documentFileKind(file.name);
  if (kind === undefined) {
    return [{ ok: false, location: file.name, message: `not a document file: use ${DOCUMENT_FILE_EXTENSIONS.join(', ')}` }];
  }
  if (kind === 'json') return parseJsonFile(file.content, file.name, options);
  if (kind === 'jsonl') return parseJsonLines(file.content, file.name, options);
  const id = `${options.idPrefix}${idFromRelativePath(file.name, 128 - options.idPrefix.length)}`;
  if (!isValidFileDocumentId(id)) {
    return [{ ok: false, location: file.name, message: 'no document id can be made from this file name: rename it with letters or digits' }];
  }
  const document = buildPlainDocument({ file: { relativePath: file.name, kind }, content: file.content, modified: file.modified, id, acl: options.defaultAcl });
  return [{ ok: true, document, location: file.name }];
}
