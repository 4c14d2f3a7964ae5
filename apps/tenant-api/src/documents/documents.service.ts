import { Inject, Injectable, Logger } from '@nestjs/common';
import { DEFAULT_FLAGGED_DOCUMENT_POLICY, ErrorCode, isDocumentId, StoredDocument, TesseraError, UpsertOutcome, type DocumentSummary } from '@tessera/domain';
import type { WorkspaceEntity } from '@tessera/persistence';
import { TesseraMetrics } from '@tessera/observability';
import { AuditRepository } from '@tessera/persistence';
import { IndexableDocument, prepareDocument, SEARCH_BACKEND, withAcl, type SearchBackend } from '@tessera/search';
import { jsonTextProblem } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import { checkAcl, validateDocumentInput } from './document-input';
import { BulkLineResultDto, BulkResultDto, DOCUMENT_LIST_LIMITS, type DocumentListQueryDto } from './dto/document.dto';
import { decodeDocumentCursor, encodeDocumentCursor } from './document-list-cursor';
import { failed, isAclOnly, isTombstone, summarize } from './bulk-lines';
import { ndjsonLines } from './ndjson-lines';
import { SyncService } from './sync.service';

export const BULK_LIMITS = {
  maxLineBytes: 6 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  /** Documents written per transaction: large enough to amortize round trips, small enough to hold few locks. */
  chunkDocuments: 100,
  chunkBytes: 4 * 1024 * 1024,
} as const;

interface PendingDocument {
  readonly line: number;
  readonly document: IndexableDocument;
}

@Injectable()
export class DocumentsService {
  private readonly logger = new Logger(DocumentsService.name);

  constructor(
    private readonly access: TenantAccessService,
    private readonly audit: AuditRepository,
    @Inject(SEARCH_BACKEND) private readonly search: SearchBackend,
    private readonly metrics: TesseraMetrics,
    private readonly syncs: SyncService,
  ) {}

  async put(
    actor: Actor,
    tenantSlug: string,
    workspaceSlug: string,
    id: string,
    body: unknown,
    syncId?: string,
  ): Promise<{ outcome: UpsertOutcome; flags: readonly string[]; quarantined: boolean }> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const input = validateDocumentInput(body, id);
    if (!input.ok) throw TesseraError.validation(input.message);
    const run = syncId === undefined ? undefined : await this.syncs.openRun(workspace, syncId);
    const document = prepareDocument(input.value, quarantinesFlagged(workspace));
    const [outcome] = await this.search.upsert(workspace.id, [document]);
    if (run) await this.syncs.markSeen(run, [id]);
    this.metrics.ingested(outcome!);
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'document.put',
      outcome: outcome!,
      details: { documentId: id, ...(document.flags.length ? { flags: document.flags } : {}) },
    });
    return { outcome: outcome!, flags: document.flags, quarantined: document.quarantined };
  }

  /**
   * Changes who may read a document, content untouched and not analysed again (`{acl}` alone);
   * 'unchanged' when the ACL already says that.
   */
  async patchAcl(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string, body: unknown, syncId?: string): Promise<UpsertOutcome> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw TesseraError.validation('body: must be a JSON object');
    const fields = Object.keys(body).filter((k) => k !== 'acl');
    if (fields.length > 0) throw TesseraError.validation(`${fields[0]}: only acl can be patched; send other fields with PUT`);
    if (!('acl' in body)) throw TesseraError.validation('acl: is required');
    const acl = checkAcl((body as { acl: unknown }).acl);
    if (typeof acl === 'string') throw TesseraError.validation(acl);
    const run = syncId === undefined ? undefined : await this.syncs.openRun(workspace, syncId);
    const outcome = isDocumentId(id) ? await this.changeAcl(workspace.id, id, acl) : null;
    if (!outcome) throw TesseraError.notFound('document');
    if (run) await this.syncs.markSeen(run, [id]);
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'document.acl',
      outcome,
      details: { documentId: id, users: acl.users.length, groups: acl.groups.length },
    });
    return outcome;
  }

  /** Null when there is no such document. */
  private async changeAcl(workspaceId: string, id: string, acl: { users: string[]; groups: string[] }): Promise<UpsertOutcome | null> {
    const stored = await this.search.get(workspaceId, id);
    if (!stored) return null;
    const document = withAcl(stored, acl);
    if (document.contentHash === stored.contentHash) return 'unchanged';
    if (this.search.updateAcl) return (await this.search.updateAcl(workspaceId, id, document.acl, document.contentHash)) ? 'updated' : null;
    const [outcome] = await this.search.upsert(workspaceId, [document]);
    return outcome!;
  }

  /**
   * A page of the workspace's documents for the tenant admin (quarantined ones included, no text), in id
   * order; the next page continues after the last id. The filter is a case-insensitive substring of id or title.
   */
  async list(actor: Actor, tenantSlug: string, workspaceSlug: string, query: DocumentListQueryDto): Promise<{ documents: DocumentSummary[]; nextCursor: string | null }> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const after = query.cursor === undefined ? undefined : decodeDocumentCursor(query.cursor);
    if (after === null) throw TesseraError.validation('cursor: must be a nextCursor returned by a previous page');
    const limit = query.limit ?? DOCUMENT_LIST_LIMITS.defaultLimit;
    // One more than asked: whether another page follows is known without a second request.
    const found = await this.search.listDocuments(workspace.id, { filter: query.q?.trim() || undefined, after, limit: limit + 1 });
    const documents = found.slice(0, limit);
    return { documents, nextCursor: found.length > limit ? encodeDocumentCursor(documents[documents.length - 1]!.id) : null };
  }

  /** Documents held back by the hygiene policy, for the tenant admin to review. */
  async quarantined(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<StoredDocument[]> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    return this.search.listQuarantined(workspace.id, 1000);
  }

  async release(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string): Promise<void> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    if (!isDocumentId(id) || !(await this.search.release(workspace.id, id))) throw TesseraError.notFound('quarantined document');
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'document.release',
      outcome: 'success',
      details: { documentId: id },
    });
  }

  async get(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string): Promise<StoredDocument> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const document = isDocumentId(id) ? await this.search.get(workspace.id, id) : null;
    if (!document) throw TesseraError.notFound('document');
    return document;
  }

  async delete(actor: Actor, tenantSlug: string, workspaceSlug: string, id: string): Promise<void> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    if (!isDocumentId(id) || !(await this.search.delete(workspace.id, id))) throw TesseraError.notFound('document');
    await this.syncs.forget(workspace.id, [id]);
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'document.delete',
      outcome: 'success',
      details: { documentId: id },
    });
  }

  /**
   * Streams NDJSON: each line is validated on its own and reported on its own; valid lines are written
   * in chunks, each chunk one transaction. A chunk that fails is retried document by document, so one
   * bad document never takes its neighbours down and no document is ever half-written.
   */
  async bulk(
    actor: Actor,
    tenantSlug: string,
    workspaceSlug: string,
    body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
    syncId?: string,
  ): Promise<BulkResultDto> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const run = syncId === undefined ? undefined : await this.syncs.openRun(workspace, syncId);
    const started = performance.now();
    const results: BulkLineResultDto[] = [];
    const quarantine = quarantinesFlagged(workspace);
    let pending: PendingDocument[] = [];
    let pendingBytes = 0;
    // Once the backend is found down, the rest is reported as not written rather than tried chunk by chunk.
    let outage: { code: string; message: string } | undefined;
    const flush = async () => {
      if (pending.length === 0) return;
      const chunk = pending;
      pending = [];
      pendingBytes = 0;
      const written = outage ? chunk.map((c) => failed(c.line, c.document.id, outage!.code, outage!.message)) : await this.writeChunk(workspace.id, chunk);
      outage ??= written.find((r) => r.error?.code === ErrorCode.Unavailable)?.error;
      if (run) await this.syncs.markSeen(run, written.filter((r) => r.status !== 'failed').map((r) => r.id!));
      results.push(...written);
    };

    for await (const entry of ndjsonLines(body, BULK_LIMITS)) {
      if ('tooLong' in entry) {
        results.push(failed(entry.line, undefined, 'payload_too_large', `line is longer than ${BULK_LIMITS.maxLineBytes / (1024 * 1024)} MB`));
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(entry.text);
      } catch {
        results.push(failed(entry.line, undefined, 'validation_failed', 'line is not valid JSON'));
        continue;
      }
      // NDJSON is read here, not by the edge's body parsers: the same rule, for this line alone.
      const hostile = jsonTextProblem(entry.text, parsed);
      if (hostile) {
        results.push(failed(entry.line, undefined, 'validation_failed', hostile.message.replace(/^request body/, 'line')));
        continue;
      }
      if (isTombstone(parsed)) {
        // In line order: what is pending (perhaps this very document) is written first.
        await flush();
        results.push(outage ? failed(entry.line, parsed.id, outage.code, outage.message) : await this.deleteLine(workspace.id, entry.line, parsed.id));
        outage ??= results[results.length - 1]!.error?.code === ErrorCode.Unavailable ? results[results.length - 1]!.error : undefined;
        continue;
      }
      if (isAclOnly(parsed)) {
        await flush();
        results.push(outage ? failed(entry.line, parsed.id, outage.code, outage.message) : await this.aclLine(workspace.id, entry.line, parsed));
        outage ??= results[results.length - 1]!.error?.code === ErrorCode.Unavailable ? results[results.length - 1]!.error : undefined;
        if (run && results[results.length - 1]!.status !== 'failed') await this.syncs.markSeen(run, [parsed.id]);
        continue;
      }
      const input = validateDocumentInput(parsed);
      if (!input.ok) {
        const id = typeof (parsed as { id?: unknown })?.id === 'string' ? ((parsed as { id: string }).id.slice(0, 128)) : undefined;
        results.push(failed(entry.line, id, 'validation_failed', input.message));
        continue;
      }
      const document = prepareDocument(input.value, quarantine);
      pending.push({ line: entry.line, document });
      pendingBytes += document.text.length;
      if (pending.length >= BULK_LIMITS.chunkDocuments || pendingBytes >= BULK_LIMITS.chunkBytes) await flush();
    }
    await flush();

    results.sort((a, b) => a.line - b.line);
    const summary = summarize(results);
    this.metrics.ingestedSummary(summary);
    this.metrics.bulkRequest((performance.now() - started) / 1000, summary.failed > 0 ? 'partial' : 'success');
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'document.bulk',
      outcome: summary.failed > 0 ? 'partial' : 'success',
      details: { ...summary },
    });
    // Nothing was stored because the search backend is down: say so with 503 (the body still has every line,
    // each failed one with its reason). When some lines were stored, 200 says exactly which.
    const stored = summary.created + summary.updated + summary.unchanged;
    const unavailable = stored === 0 && outage !== undefined;
    return { summary, results, ...(unavailable ? { unavailable: true } : {}) };
  }

  /** A permission-only line: `{"id", "acl"}`. */
  private async aclLine(workspaceId: string, line: number, parsed: { id: string; acl: unknown }): Promise<BulkLineResultDto> {
    const acl = checkAcl(parsed.acl);
    if (typeof acl === 'string') return failed(line, parsed.id, 'validation_failed', acl);
    try {
      const outcome = await this.changeAcl(workspaceId, parsed.id, acl);
      return outcome ? { line, id: parsed.id, status: outcome } : failed(line, parsed.id, 'not_found', 'document not found; send it whole to create it');
    } catch (error) {
      if (error instanceof TesseraError) return failed(line, parsed.id, error.code, error.message);
      this.logger.error({ err: error }, 'document ACL could not be changed');
      return failed(line, parsed.id, 'internal_error', 'document ACL could not be changed; retry later');
    }
  }

  /** A tombstone line: the document is gone at its source. */
  private async deleteLine(workspaceId: string, line: number, id: string): Promise<BulkLineResultDto> {
    try {
      const deleted = await this.search.delete(workspaceId, id);
      await this.syncs.forget(workspaceId, [id]);
      return { line, id, status: deleted ? 'deleted' : 'unchanged' };
    } catch (error) {
      if (error instanceof TesseraError) return failed(line, id, error.code, error.message);
      this.logger.error({ err: error }, 'document could not be deleted');
      return failed(line, id, 'internal_error', 'document could not be deleted; retry later');
    }
  }

  private async writeChunk(workspaceId: string, chunk: PendingDocument[]): Promise<BulkLineResultDto[]> {
    try {
      const outcomes = await this.search.upsert(workspaceId, chunk.map((c) => c.document));
      return chunk.map((c, i) => ({
        line: c.line,
        id: c.document.id,
        status: outcomes[i]!,
        ...(c.document.flags.length ? { flags: [...c.document.flags], quarantined: c.document.quarantined } : {}),
      }));
    } catch (error) {
      // The backend is down: every document of the chunk fails alike; retrying them one by one would only wait longer.
      if (error instanceof TesseraError && error.code === ErrorCode.Unavailable) {
        return chunk.map((c) => failed(c.line, c.document.id, error.code, error.message));
      }
      if (chunk.length === 1) {
        if (error instanceof TesseraError) return [failed(chunk[0]!.line, chunk[0]!.document.id, error.code, error.message)];
        this.logger.error({ err: error }, 'document could not be stored');
        return [failed(chunk[0]!.line, chunk[0]!.document.id, 'internal_error', 'document could not be stored; retry later')];
      }
      const perDocument: BulkLineResultDto[] = [];
      for (const single of chunk) {
        const outage = perDocument.find((r) => r.error?.code === ErrorCode.Unavailable)?.error;
        perDocument.push(...(outage ? [failed(single.line, single.document.id, outage.code, outage.message)] : await this.writeChunk(workspaceId, [single])));
      }
      return perDocument;
    }
  }
}

function quarantinesFlagged(workspace: WorkspaceEntity): boolean {
  return (workspace.settings.flaggedDocuments ?? DEFAULT_FLAGGED_DOCUMENT_POLICY) === 'quarantine';
}
