import { Injectable } from '@nestjs/common';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { Principal, ToolScope, WorkspaceContext } from '@tessera/domain';
import type { MaybePromise } from '../common/maybe-promise';
import { TOOLS_LIST_RESULT_JSON } from '../tools/tool-definitions';
import { toolResultBody } from '../tools/tool-result';
import { WorkspaceToolsService } from '../tools/workspace-tools.service';
import { errorMessage, JsonRpcErrorCode, JsonRpcRequest, preserializedResultMessage, type MessageBody } from './json-rpc';

export { SUPPORTED_PROTOCOL_VERSIONS };

const SERVER_INFO = { name: 'tessera', title: 'Tessera workspace connector', version: '0.1.0' };
const INSTRUCTIONS =
  'Use search to find documents of this workspace, then fetch to read one in full. Only documents you may read are visible.';

/** The version the client asked for when we speak it, else our latest. */
function negotiatedVersion(params: Record<string, unknown>): string {
  const requested = params.protocolVersion;
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

/** initialize's result per protocol version, serialized once: it depends on nothing else. */
const INITIALIZE_RESULT_JSON = new Map(
  SUPPORTED_PROTOCOL_VERSIONS.map((protocolVersion) => [
    protocolVersion,
    JSON.stringify({ protocolVersion, capabilities: { tools: { listChanged: false } }, serverInfo: SERVER_INFO, instructions: INSTRUCTIONS }),
  ]),
);

/** `outcome` is what the metrics record: ok, a tool error the model saw, or an invalid request. */
export type DispatchResult =
  | { kind: 'message'; json: MessageBody; outcome: 'ok' | 'tool_error' | 'invalid'; tool?: string }
  | { kind: 'insufficient_scope'; scope: ToolScope };

/**
 * Stateless MCP over JSON-RPC: one instance serves every request and every workspace, because
 * nothing here belongs to a session. Protocol constants come from the MCP SDK; per-request work is
 * only what the request itself needs (tools/list and initialize are serialized once).
 */
@Injectable()
export class McpProtocol {
  constructor(private readonly tools: WorkspaceToolsService) {}

  /** At once for everything but tool calls. */
  dispatch(ctx: WorkspaceContext, principal: Principal, request: JsonRpcRequest): MaybePromise<DispatchResult> {
    switch (request.method) {
      case 'initialize':
        return message(preserializedResultMessage(request.id, INITIALIZE_RESULT_JSON.get(negotiatedVersion(request.params))!));
      case 'ping':
        return message(preserializedResultMessage(request.id, '{}'));
      case 'tools/list':
        return message(preserializedResultMessage(request.id, TOOLS_LIST_RESULT_JSON));
      case 'tools/call':
        return this.callTool(ctx, principal, request);
      default:
        return message(errorMessage(request.id, JsonRpcErrorCode.MethodNotFound, `Method not found: ${request.method.slice(0, 64)}`), 'invalid');
    }
  }

  private async callTool(ctx: WorkspaceContext, principal: Principal, request: JsonRpcRequest): Promise<DispatchResult> {
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
        return message(preserializedResultMessage(request.id, toolResultBody(outcome.result)), outcome.result.isError ? 'tool_error' : 'ok', name);
      case 'unknown_tool':
        return message(errorMessage(request.id, JsonRpcErrorCode.InvalidParams, `Unknown tool: ${name.slice(0, 64)}`), 'invalid');
      case 'insufficient_scope':
        return { kind: 'insufficient_scope', scope: outcome.scope };
    }
  }
}

function message(json: MessageBody, outcome: 'ok' | 'tool_error' | 'invalid' = 'ok', tool?: string): DispatchResult {
  return { kind: 'message', json, outcome, tool };
}
