import { DOCUMENT_LIMITS } from '../document';
import { documentUrlProblem } from '../visible-text';
import { isValidFileDocumentId, type BulkDocument, type BulkDocumentAcl } from './plain-document';

/**
 * Turns `.json` / `.jsonl` content into documents. Each invalid entry becomes
 * its own failure with a location (`file.json#3`, `file.jsonl:12`) so one bad
 * line never hides the good ones.
 */

export interface JsonDocumentOptions {
  /** Prepended to every id, same as for plain files. */
  idPrefix: string;
  /** From --users/--groups; used only when a document has no acl of its own. */
  defaultAcl?: BulkDocumentAcl;
}

export type ParsedEntry =
  | { ok: true; document: BulkDocument; location: string }
  | { ok: false; location: string; message: string };

type Validation = { ok: true; document: BulkDocument } | { ok: false; message: string };

/** A `.json` file holds one document object or an array of them. */
export function parseJsonFile(content: string, source: string, options: JsonDocumentOptions): ParsedEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(content));
  } catch (error) {
    return [{ ok: false, location: source, message: `invalid JSON: ${(error as Error).message}` }];
  }
  if (Array.isArray(parsed)) {
    return parsed.map((item, index) => withLocation(toDocument(item, options), `${source}#${index + 1}`));
  }
  if (isPlainObject(parsed)) {
    return [withLocation(toDocument(parsed, options), source)];
  }
  return [{ ok: false, location: source, message: 'expected a document object or an array of document objects' }];
}

/** Returns undefined for blank lines, which are tolerated in NDJSON files. */
export function parseJsonLine(
  line: string,
  lineNumber: number,
  source: string,
  options: JsonDocumentOptions,
): ParsedEntry | undefined {
  const trimmed = (lineNumber === 1 ? stripBom(line) : line).trim();
  if (trimmed === '') return undefined;
  const location = `${source}:${lineNumber}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, location, message: `invalid JSON: ${(error as Error).message}` };
  }
  return withLocation(toDocument(parsed, options), location);
}

/** A whole `.jsonl` / `.ndjson` file held in memory (the console's upload); the CLI streams it line by line. */
export function parseJsonLines(content: string, source: string, options: JsonDocumentOptions): ParsedEntry[] {
  return content
    .split(/\r?\n/)
    .map((line, index) => parseJsonLine(line, index + 1, source, options))
    .filter((entry): entry is ParsedEntry => entry !== undefined);
}

function withLocation(result: Validation, location: string): ParsedEntry {
  return result.ok ? { ok: true, document: result.document, location } : { ok: false, location, message: result.message };
}

/**
 * Checks the fields the contract defines and passes any others through
 * unchanged, so the server stays the authority on extensions.
 */
export function toDocument(value: unknown, options: JsonDocumentOptions): Validation {
  if (!isPlainObject(value)) return fail('expected a JSON object');
  const { id, title, text, html, url, metadata, acl } = value;
  if (typeof id !== 'string' || id === '') return fail('"id" is required and must be a string');
  const fullId = `${options.idPrefix}${id}`;
  if (!isValidFileDocumentId(fullId)) {
    return fail(
      `invalid id "${fullId}": use 1-128 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  if (typeof title !== 'string' || title.trim() === '') return fail('"title" is required and must be a non-empty string');
  const hasText = text !== undefined && text !== null;
  const hasHtml = html !== undefined && html !== null;
  if (hasText === hasHtml) return fail('exactly one of "text" or "html" is required');
  if (hasText && typeof text !== 'string') return fail('"text" must be a string');
  if (hasHtml && typeof html !== 'string') return fail('"html" must be a string');
  const urlProblem = url === undefined || url === null ? undefined : documentUrlProblem(url, DOCUMENT_LIMITS.urlChars);
  if (urlProblem) return fail(`"url" ${urlProblem}`);
  if (metadata !== undefined && !isPlainObject(metadata)) return fail('"metadata" must be an object');
  if (acl !== undefined && !isValidAcl(acl)) return fail('"acl" must be an object with optional "users" and "groups" string arrays');

  const document = { ...value, id: fullId } as unknown as BulkDocument;
  if (acl === undefined && options.defaultAcl) document.acl = options.defaultAcl;
  return { ok: true, document };
}

function isValidAcl(acl: unknown): boolean {
  if (!isPlainObject(acl)) return false;
  return [acl.users, acl.groups].every(
    (list) => list === undefined || (Array.isArray(list) && list.every((item) => typeof item === 'string')),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): Validation {
  return { ok: false, message };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
