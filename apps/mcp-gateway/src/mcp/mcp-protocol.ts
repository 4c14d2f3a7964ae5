import { Injectable } from '@nestjs/common';
import type { Principal, WorkspaceContext } from '@tessera/domain';
import type { MaybePromise } from '../common/maybe-promise';
import { TOOLS } from '../tools/tool-definitions';
import { toolResultBody } from '../tools/tool-result';
import { WorkspaceToolsService } from '../tools/workspace-tools.service';
import { errorMessage, JsonRpcErrorCode, JsonRpcRequest, preserializedResultMessage, type MessageBody } from './json-rpc';
import { LEGACY_PROTOCOL_VERSIONS, META_SERVER_INFO, MODERN_PROTOCOL_VERSIONS } from './protocol-versions';
import type { Era } from './request-checks';

const SERVER_INFO = { name: 'tessera', title: 'Tessera workspace connector', version: '0.1.0' };
const INSTRUCTIONS =
  'Use search to find documents of this workspace, then fetch to read one in full. Only documents you may read are visible.';
/**
 * Caching hints (2026-07-28) for discover and tools/list. The answers are the same for every caller
 * (two fixed tools, whatever the token's scopes), so a shared cache may keep them; they change only
 * with a deployment, so five minutes bounds how long a client keeps an old list.
 */
export const LIST_TTL_MS = 300_000;
export const LIST_CACHE_SCOPE = 'public';

/** Members that open every 2026-era result: the result type and who answered. */
const MODERN_RESULT_MEMBERS = `"resultType":"complete","_meta":${JSON.stringify({ [META_SERVER_INFO]: { name: SERVER_INFO.name, version: SERVER_INFO.version } })}`;

/** initialize's result per 2025-era version, serialized once: it depends on nothing else. */
const INITIALIZE_RESULT_JSON = new Map(
  LEGACY_PROTOCOL_VERSIONS.map((protocolVersion) => [
    protocolVersion,
    JSON.stringify({ protocolVersion, capabilities: { tools: { listChanged: false } }, serverInfo: SERVER_INFO, instructions: INSTRUCTIONS }),
  ]),
);
/** Serialized once: tools/list is the protocol's hottest path and its answer never changes. */
const TOOLS_LIST_JSON = { legacy: JSON.stringify({ tools: TOOLS }), modern: JSON.stringify({ tools: TOOLS, ttlMs: LIST_TTL_MS, cacheScope: LIST_CACHE_SCOPE }) };
/** server/discover: the versions -32022 lists, capabilities that match the handlers (tools, no change notifications). */
const DISCOVER_RESULT_JSON = JSON.stringify({
  supportedVersions: MODERN_PROTOCOL_VERSIONS,
  capabilities: { tools: {} },
  instructions: INSTRUCTIONS,
  ttlMs: LIST_TTL_MS,
  cacheScope: LIST_CACHE_SCOPE,
});

/** The version the client asked for when we speak it, else our latest. */
function negotiatedVersion(params: Record<string, unknown>): string {
  const requested = params.protocolVersion;
  return typeof requested === 'string' && LEGACY_PROTOCOL_VERSIONS.includes(requested) ? requested : LEGACY_PROTOCOL_VERSIONS[0]!;
}

/** `outcome` is what the metrics record: ok, a tool error the model saw, or an invalid request. */
export interface DispatchResult {
  readonly json: MessageBody;
  readonly outcome: 'ok' | 'tool_error' | 'invalid';
  readonly tool?: string;
}

/**
 * Stateless MCP over JSON-RPC, both eras: one instance serves every request and every workspace,
 * because nothing here belongs to a session. Per-request work is only what the request itself needs
 * (tools/list, initialize and discover are serialized once). Authorization (scopes) and the era's
 * checks ran before: a request that reaches dispatch is one to answer.
 */
@Injectable()
export class McpProtocol {
  constructor(private readonly tools: WorkspaceToolsService) {}

  /** At once for everything but tool calls. */
  dispatch(era: Era, ctx: WorkspaceContext, principal: Principal, request: JsonRpcRequest): MaybePromise<DispatchResult> {
    return era === 'modern' ? this.dispatchModern(ctx, principal, request) : this.dispatchLegacy(ctx, principal, request);
  }

  private dispatchModern(ctx: WorkspaceContext, principal: Principal, request: JsonRpcRequest): MaybePromise<DispatchResult> {
    switch (request.method) {
      case 'server/discover':
        return message(preserializedResultMessage(request.id, DISCOVER_RESULT_JSON, MODERN_RESULT_MEMBERS));
      case 'tools/list':
        return message(preserializedResultMessage(request.id, TOOLS_LIST_JSON.modern, MODERN_RESULT_MEMBERS));
      case 'tools/call':
        return this.callTool(ctx, principal, request, MODERN_RESULT_MEMBERS);
      default:
        return methodNotFound(request);
    }
  }

  private dispatchLegacy(ctx: WorkspaceContext, principal: Principal, request: JsonRpcRequest): MaybePromise<DispatchResult> {
    switch (request.method) {
      case 'initialize':
        return message(preserializedResultMessage(request.id, INITIALIZE_RESULT_JSON.get(negotiatedVersion(request.params))!));
      case 'ping':
        return message(preserializedResultMessage(request.id, '{}'));
      case 'tools/list':
        return message(preserializedResultMessage(request.id, TOOLS_LIST_JSON.legacy));
      case 'tools/call':
        return this.callTool(ctx, principal, request, undefined);
      default:
        return methodNotFound(request);
    }
  }

  private async callTool(ctx: WorkspaceContext, principal: Principal, request: JsonRpcRequest, leadingMembers: string | undefined): Promise<DispatchResult> {
    const { name, arguments: args } = request.params;
    if (typeof name !== 'string') {
      return message(errorMessage(request.id, JsonRpcErrorCode.InvalidParams, 'params.name must be the tool name'), 'invalid');
    }
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
      return message(errorMessage(request.id, JsonRpcErrorCode.InvalidParams, 'params.arguments must be an object'), 'invalid', name);
    }
    const outcome = await this.tools.call(ctx, principal, name, (args as Record<string, unknown>) ?? {});
    switch (outcome.kind) {
      case 'result':
        return message(preserializedResultMessage(request.id, toolResultBody(outcome.result), leadingMembers), outcome.result.isError ? 'tool_error' : 'ok', name);
      case 'unknown_tool':
        return message(errorMessage(request.id, JsonRpcErrorCode.InvalidParams, `Unknown tool: ${name.slice(0, 64)}`), 'invalid');
      case 'insufficient_scope':
        // The handler refuses a request whose calls need scopes the token lacks before dispatch.
        return message(errorMessage(request.id, JsonRpcErrorCode.InvalidRequest, `insufficient scope: the ${name} tool needs the "${outcome.scope}" scope`), 'invalid', name);
    }
  }
}

function methodNotFound(request: JsonRpcRequest): DispatchResult {
  return message(errorMessage(request.id, JsonRpcErrorCode.MethodNotFound, `Method not found: ${request.method.slice(0, 64)}`), 'invalid');
}

function message(json: MessageBody, outcome: DispatchResult['outcome'] = 'ok', tool?: string): DispatchResult {
  return { json, outcome, tool };
}
