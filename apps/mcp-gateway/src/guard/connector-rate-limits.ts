import { Inject, Injectable } from '@nestjs/common';
import { Principal, rateLimitsOf, WorkspaceContext } from '@tessera/domain';
import { RATE_LIMITER, type RateLimitDecision, type RateLimiter } from '@tessera/server';
import type { MaybePromise } from '../common/maybe-promise';

const MINUTE_MS = 60_000;

/** Per workspace, per principal and per OAuth client limits at the connector; the strictest answer wins. */
@Injectable()
export class ConnectorRateLimits {
  constructor(@Inject(RATE_LIMITER) private readonly limiter: RateLimiter) {}

  /**
   * Seconds to wait when over a limit, or 0 when the request may proceed; at once from an in-process
   * limiter. `messages` is what the request costs: a JSON-RPC batch counts each of its messages.
   */
  retryAfter(ctx: WorkspaceContext, principal: Principal, messages = 1): MaybePromise<number> {
    const limits = rateLimitsOf(ctx.settings);
    const checks = [
      this.limiter.hit(`ws:${ctx.workspaceId}`, limits.workspacePerMinute, MINUTE_MS, messages),
      this.limiter.hit(`principal:${ctx.workspaceId}:${principal.credentialId}`, limits.principalPerMinute, MINUTE_MS, messages),
    ];
    if (principal.clientId) checks.push(this.limiter.hit(`client:${ctx.workspaceId}:${principal.clientId}`, limits.clientPerMinute, MINUTE_MS, messages));
    return checks.some((c) => c instanceof Promise) ? Promise.all(checks).then(strictest) : strictest(checks as RateLimitDecision[]);
  }
}

function strictest(decisions: readonly RateLimitDecision[]): number {
  let wait = 0;
  for (const d of decisions) if (!d.allowed) wait = Math.max(wait, d.retryAfterSeconds);
  return wait;
}
