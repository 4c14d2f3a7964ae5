import { isDocumentId } from '@tessera/domain';
import type { BulkLineResultDto } from './dto/document.dto';

/** The shapes of a documents:bulk line besides a whole document, and how lines are reported. */

/** `{"id": "…", "acl": …}` and nothing else. */
export function isAclOnly(value: unknown): value is { id: string; acl: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const line = value as Record<string, unknown>;
  return 'acl' in line && isDocumentId(line.id) && Object.keys(line).length === 2;
}

/** `{"id": "…", "deleted": true}` and nothing else. */
export function isTombstone(value: unknown): value is { id: string; deleted: true } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const line = value as Record<string, unknown>;
  return line.deleted === true && isDocumentId(line.id) && Object.keys(line).length === 2;
}

export function failed(line: number, id: string | undefined, code: string, message: string): BulkLineResultDto {
  return { line, ...(id ? { id } : {}), status: 'failed', error: { code, message } };
}

export function summarize(results: BulkLineResultDto[]) {
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return {
    received: results.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    deleted: count('deleted'),
    failed: count('failed'),
  };
}
