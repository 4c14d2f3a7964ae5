import { DOCUMENT_ID_RULE, DOCUMENT_LIMITS, documentUrlProblem, isDocumentId, OPTIONAL_DOCUMENT_FIELD_NAMES, readOptionalFields } from '@tessera/domain';
import type { DocumentInput } from '@tessera/search';

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

const FIELDS = new Set(['id', 'title', 'text', 'html', 'url', 'metadata', 'acl', ...OPTIONAL_DOCUMENT_FIELD_NAMES]);
const MAX_METADATA_DEPTH = 4;

/**
 * Validates one document, from a PUT body or an NDJSON line, with a message that names the field.
 * `pathId` is the id from the URL; a body id, if present, must agree with it.
 */
export function validateDocumentInput(raw: unknown, pathId?: string): Validated<DocumentInput> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('document must be a JSON object');
  const body = raw as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) return fail(`${unknown[0]}: unknown field (allowed: ${[...FIELDS].join(', ')})`);

  const id = pathId ?? body.id;
  if (!isDocumentId(id)) return fail(`id: must be ${DOCUMENT_ID_RULE}`);
  if (pathId !== undefined && body.id !== undefined && body.id !== pathId) return fail('id: does not match the id in the URL');

  if (body.title !== undefined && (typeof body.title !== 'string' || body.title.length > DOCUMENT_LIMITS.titleChars)) {
    return fail(`title: must be a string of at most ${DOCUMENT_LIMITS.titleChars} characters`);
  }
  const hasText = body.text !== undefined;
  const hasHtml = body.html !== undefined;
  if (hasText === hasHtml) return fail('text: exactly one of text and html is required');
  const content = hasText ? body.text : body.html;
  const field = hasText ? 'text' : 'html';
  if (typeof content !== 'string') return fail(`${field}: must be a string`);
  if (Buffer.byteLength(content, 'utf8') > DOCUMENT_LIMITS.textBytes) {
    return fail(`${field}: must be at most ${DOCUMENT_LIMITS.textBytes / (1024 * 1024)} MB`);
  }
  if (hasText && body.title === undefined) return fail('title: is required with text');

  if (body.url !== undefined && body.url !== null) {
    const problem = documentUrlProblem(body.url, DOCUMENT_LIMITS.urlChars);
    if (problem) return fail(`url: ${problem}`);
  }
  if (body.metadata !== undefined) {
    const problem = checkMetadata(body.metadata);
    if (problem) return fail(`metadata: ${problem}`);
  }
  const acl = checkAcl(body.acl);
  if (typeof acl === 'string') return fail(acl);
  const optional = readOptionalFields(body);
  if (!optional.ok) return fail(optional.message);

  return {
    ok: true,
    value: {
      id,
      title: body.title as string | undefined,
      text: hasText ? (content as string) : undefined,
      html: hasHtml ? (content as string) : undefined,
      url: (body.url as string | null | undefined) ?? null,
      metadata: (body.metadata as Record<string, unknown> | undefined) ?? {},
      acl,
      ...optional.value,
    },
  };
}

function fail(message: string): Validated<never> {
  return { ok: false, message };
}

function checkMetadata(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return 'must be a JSON object';
  // Depth first, iteratively and bounded, so that hostile nesting can never overflow the stack below.
  const problem = inspectMetadata(metadata, MAX_METADATA_DEPTH);
  if (problem === 'too_deep') return `must nest at most ${MAX_METADATA_DEPTH} levels`;
  if (problem === 'nul') return 'must not contain NUL characters';
  if (Buffer.byteLength(JSON.stringify(metadata), 'utf8') > DOCUMENT_LIMITS.metadataBytes) {
    return `must be at most ${DOCUMENT_LIMITS.metadataBytes / 1024} KB as JSON`;
  }
  return undefined;
}

/** Walks iteratively with a depth bound, so hostile nesting can never overflow the stack. */
function inspectMetadata(root: object, limit: number): 'too_deep' | 'nul' | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string' && value.includes('\0')) return 'nul';
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return 'too_deep';
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\0')) return 'nul';
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

export function checkAcl(acl: unknown): { users: string[]; groups: string[] } | string {
  if (acl === undefined || acl === null) return { users: [], groups: [] };
  if (typeof acl !== 'object' || Array.isArray(acl)) return 'acl: must be an object with users and/or groups';
  const { users = [], groups = [], ...rest } = acl as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return `acl.${Object.keys(rest)[0]}: unknown field (allowed: users, groups)`;
  for (const [name, list] of [['users', users], ['groups', groups]] as const) {
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v.trim() === '' || v.length > 320 || v.includes('\0'))) {
      return `acl.${name}: must be an array of non-empty strings`;
    }
    if (list.length > DOCUMENT_LIMITS.aclEntries) return `acl.${name}: at most ${DOCUMENT_LIMITS.aclEntries} entries`;
  }
  return { users: users as string[], groups: groups as string[] };
}
