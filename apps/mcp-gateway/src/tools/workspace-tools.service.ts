import { Inject, Injectable, Logger } from '@nestjs/common';
import { canReadDocument, DEFAULT_QUERY_GUARD, hasScope, isDocumentId, MAX_SEARCH_RESULT_LIMIT, Principal, queryGuardPolicy, ToolScope, WorkspaceContext } from '@tessera/domain';
import { GuardRule, inspectQuery, stripFindings } from '../guard/query-guard';
import { analyzeQuery, SEARCH_BACKEND, type SearchBackend } from '@tessera/search';
import { TesseraMetrics, workspaceKey } from '@tessera/observability';
import { ToolAuditLog } from '../audit/tool-audit-log';
import { FetchResultCache } from './fetch-results';
import { jsonToolResult, toolError, ToolResult } from './tool-result';

/** The default hard cap on query length; each workspace may set its own. */
export const MAX_QUERY_CHARS = DEFAULT_QUERY_GUARD.maxQueryChars;

export type ToolOutcome = { kind: 'result'; result: ToolResult } | { kind: 'insufficient_scope'; scope: ToolScope } | { kind: 'unknown_tool' };

/** `search` and `fetch` over one workspace, for one principal. The workspace comes from the URL, never from arguments. */
@Injectable()
export class WorkspaceToolsService {
  private readonly logger = new Logger(WorkspaceToolsService.name);
  /** Held within the same budget figure as the backend's fetched documents (DOCUMENT_CACHE_MB); none without one. */
  private readonly fetchResults: FetchResultCache;

  constructor(
    @Inject(SEARCH_BACKEND) private readonly backend: SearchBackend,
    private readonly audit: ToolAuditLog,
    private readonly metrics: TesseraMetrics,
  ) {
    this.fetchResults = new FetchResultCache(backend.cacheStats?.().documentBudgetBytes ?? 0);
  }

  async call(ctx: WorkspaceContext, principal: Principal, name: string, args: Record<string, unknown>): Promise<ToolOutcome> {
    if (name !== 'search' && name !== 'fetch') return { kind: 'unknown_tool' };
    if (!hasScope(principal, name)) return { kind: 'insufficient_scope', scope: name };
    const result = name === 'search' ? await this.search(ctx, principal, args) : await this.fetch(ctx, principal, args);
    return { kind: 'result', result };
  }

  private async search(ctx: WorkspaceContext, principal: Principal, args: Record<string, unknown>): Promise<ToolResult> {
    const unexpected = Object.keys(args).find((k) => k !== 'query');
    if (unexpected) return toolError(`search takes only "query"; remove "${unexpected}".`);
    if (typeof args.query !== 'string') return toolError('search needs a "query" string.');
    const guarded = this.guard(ctx, principal, args.query);
    if (guarded.kind === 'refused') return toolError(guarded.message);
    const query = guarded.query;
    const notice = guarded.stripped ? strippedNotice(guarded.stripped, query) : undefined;
    if (analyzeQuery(query).length === 0) {
      return toolError(notice ? `${notice} Nothing searchable is left; search with plain words that describe the topic.` : 'query has no searchable words; search with a few descriptive keywords.');
    }
    try {
      const limit = Math.min(Math.max(ctx.settings.searchResultLimit, 1), MAX_SEARCH_RESULT_LIMIT);
      const hits = await this.backend.search(ctx.workspaceId, { query, reader: principal, limit });
      const results = hits.map((h) => ({ id: h.id, title: h.title, url: h.url }));
      this.metrics.searchResults(results.length, workspaceKey(ctx));
      this.audit.toolCall(ctx, principal, 'search', 'success', { query, documentIds: results.map((r) => r.id) });
      // In strip mode the model is told what was removed (by rule, never by content) and what was searched for.
      return jsonToolResult(notice ? { results, notice } : { results });
    } catch (error) {
      this.logger.error({ err: error, workspaceId: ctx.workspaceId }, 'search backend failed');
      this.audit.toolCall(ctx, principal, 'search', 'error', { query });
      return toolError('search is temporarily unavailable; try again shortly.');
    }
  }

  /** Applies the workspace's query guard: refuse, strip, or pass; every hit is audited by rule, never by text. */
  private guard(
    ctx: WorkspaceContext,
    principal: Principal,
    query: string,
  ): { kind: 'ok'; query: string; stripped?: readonly GuardRule[] } | { kind: 'refused'; message: string } {
    const policy = queryGuardPolicy(ctx.settings);
    const findings = inspectQuery(query, policy.maxQueryChars).filter((f) => policy.mode !== 'allow' || f.rule === 'length');
    if (findings.length === 0) return { kind: 'ok', query };
    const rules = [...new Set(findings.map((f) => f.rule))] as GuardRule[];
    const refuse = policy.mode === 'block' || rules.includes('length');
    for (const rule of rules) this.metrics.guardHit(rule, refuse ? 'block' : 'strip');
    this.audit.toolCall(ctx, principal, 'search', refuse ? 'blocked' : 'stripped', { query, rule: rules.join(',') });
    if (rules.includes('length')) {
      return { kind: 'refused', message: `query is too long (at most ${policy.maxQueryChars} characters); search with a few descriptive words.` };
    }
    if (refuse) {
      return {
        kind: 'refused',
        message: `query looks like it contains encoded data or personal details (${rules.join(', ')}); search with plain words that describe the topic instead.`,
      };
    }
    return { kind: 'ok', query: stripFindings(query, findings), stripped: rules };
  }

  private async fetch(ctx: WorkspaceContext, principal: Principal, args: Record<string, unknown>): Promise<ToolResult> {
    const id = args.id;
    const unexpected = Object.keys(args).find((k) => k !== 'id');
    if (unexpected) return toolError(`fetch takes only "id"; remove "${unexpected}".`);
    if (typeof id !== 'string' || id.length === 0 || id.length > 256) return toolError('fetch needs an "id" string from search results.');
    try {
      const document = isDocumentId(id) ? await this.backend.get(ctx.workspaceId, id, principal) : null;
      // Defence in depth: the backend filters by ACL, and so do we.
      if (!document || !canReadDocument(principal, document)) {
        this.audit.toolCall(ctx, principal, 'fetch', 'not_found', { documentIds: [id] });
        return toolError(`no document with id "${id}" in this workspace; use an id from search results.`);
      }
      this.audit.toolCall(ctx, principal, 'fetch', 'success', { documentIds: [document.id] });
      return this.fetchResults.resultFor(ctx.workspaceId, document, ctx.settings.flaggedDocuments);
    } catch (error) {
      this.logger.error({ err: error, workspaceId: ctx.workspaceId }, 'fetch failed');
      this.audit.toolCall(ctx, principal, 'fetch', 'error', { documentIds: [id] });
      return toolError('fetch is temporarily unavailable; try again shortly.');
    }
  }
}

function strippedNotice(rules: readonly GuardRule[], searchedFor: string): string {
  return `Parts of the query that looked like encoded data or personal details (${rules.join(', ')}) were removed before searching; searched for: ${JSON.stringify(searchedFor)}.`;
}
