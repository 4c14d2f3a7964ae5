import { hasScope, type Principal, TOOL_SCOPES, type ToolScope } from '@tessera/domain';
import type { ParsedMessage } from './json-rpc';

/**
 * The scopes a request's calls need that the token lacks: the request is refused (403
 * insufficient_scope) when any is missing, with every scope the whole request needs in one
 * challenge — for one message or a batch alike, never one scope per retry.
 */
export function scopeShortfall(principal: Principal, messages: readonly ParsedMessage[]): { needed: ToolScope[]; missing: ToolScope[] } | undefined {
  let needed: ToolScope[] | undefined;
  for (const message of messages) {
    if (message.kind !== 'request' || message.request.method !== 'tools/call') continue;
    const name = message.request.params.name;
    const scope = TOOL_SCOPES.find((s) => s === name);
    if (scope && !(needed ??= []).includes(scope)) needed.push(scope);
  }
  if (!needed) return undefined;
  const missing = needed.filter((scope) => !hasScope(principal, scope));
  return missing.length > 0 ? { needed, missing } : undefined;
}
