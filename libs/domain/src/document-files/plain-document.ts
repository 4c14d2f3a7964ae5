import type { OptionalDocumentFieldName } from '../document-fields';
import { frontMatterFields, splitFrontMatter } from './front-matter';
import { fileNameTitle, htmlTitle, markdownTitle } from './titles';

/**
 * The document file formats the CLI (`tessera ingest`) and the console's upload both read, so the two
 * cannot drift: which file names are read and as what, how a plain file's id and title are derived.
 * Pure and browser-safe (no Node modules): the console's Vite build bundles it.
 */

export type DocumentFileKind = 'markdown' | 'text' | 'html' | 'json' | 'jsonl';

const KIND_BY_EXTENSION: Readonly<Record<string, DocumentFileKind>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The extensions read, for a file picker's `accept`. */
export const DOCUMENT_FILE_EXTENSIONS: readonly string[] = Object.keys(KIND_BY_EXTENSION);

/** `docs/a.MD` → markdown; undefined for a file that is not read. */
export function documentFileKind(fileName: string): DocumentFileKind | undefined {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? KIND_BY_EXTENSION[base.slice(dot).toLowerCase()] : undefined;
}

export interface BulkDocumentAcl {
  users?: string[];
  groups?: string[];
}

/** One NDJSON line of `documents:bulk`, with the optional fields (lastModified, …) as written; the server validates them. */
export interface BulkDocument extends Partial<Record<OptionalDocumentFieldName, string>> {
  id: string;
  title: string;
  text?: string;
  html?: string;
  url?: string;
  metadata?: Record<string, unknown>;
  acl?: BulkDocumentAcl;
}

/** Ids the CLI and the console derive or accept from files: lowercase, so a file's id is the same whatever its case. */
export const FILE_DOCUMENT_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const MAX_DOCUMENT_ID_LENGTH = 128;

export function isValidFileDocumentId(id: string): boolean {
  return FILE_DOCUMENT_ID_PATTERN.test(id);
}

/**
 * `Guides/Getting Started.md` → `guides-getting-started`. Accents are folded
 * (`Café` → `cafe`) and everything outside [a-z0-9._] becomes a single `-`.
 * Returns '' when nothing usable is left (e.g. a name in a non-Latin script).
 */
export function idFromRelativePath(relativePath: string, maxLength = MAX_DOCUMENT_ID_LENGTH): string {
  const withoutExtension = relativePath.replace(/\.[^./]*$/, '');
  const slug = withoutExtension
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-');
  return trimId(trimId(slug).slice(0, maxLength));
}

/** Ids must start with a letter or digit; trailing separators only look like truncation. */
export function trimId(id: string): string {
  return id.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '');
}

export interface PlainDocumentInput {
  file: { relativePath: string; kind: DocumentFileKind };
  content: string;
  /** When the file was last changed, if known (the CLI reads it; a browser upload has the File's lastModified). */
  modified?: Date;
  id: string;
  urlBase?: string;
  acl?: BulkDocumentAcl;
}

/**
 * Markdown and text are sent as `text` (markdown without its front matter, whose title and optional
 * fields are used), HTML as `html` (the server sanitizes it). The title: front matter, first heading,
 * `<title>` or `<h1>`, else the file name.
 */
export function buildPlainDocument(input: PlainDocumentInput): BulkDocument {
  const content = input.content.charCodeAt(0) === 0xfeff ? input.content.slice(1) : input.content;
  const { relativePath, kind } = input.file;
  let title: string | undefined;
  const document: BulkDocument = { id: input.id, title: '' };
  if (kind === 'markdown') {
    const { frontMatter, body } = splitFrontMatter(content);
    title = markdownTitle(frontMatter, body);
    if (frontMatter !== undefined) Object.assign(document, frontMatterFields(frontMatter));
    document.text = body;
  } else if (kind === 'html') {
    title = htmlTitle(content);
    document.html = content;
  } else {
    document.text = content;
  }
  document.title = title ?? fileNameTitle(relativePath);
  if (input.urlBase) document.url = joinUrl(input.urlBase, relativePath);
  document.metadata = { source_path: relativePath, ...(input.modified ? { modified: input.modified.toISOString() } : {}) };
  if (input.acl) document.acl = input.acl;
  return document;
}

/** `https://x/docs/` + `a b/c.md` → `https://x/docs/a%20b/c.md` */
export function joinUrl(base: string, relativePath: string): string {
  const encodedPath = relativePath.split('/').map(encodeURIComponent).join('/');
  return `${base.replace(/\/+$/, '')}/${encodedPath}`;
}
