import { Inject, Injectable } from '@nestjs/common';
import { Principal, rateLimitsOf, WorkspaceContext } from '@tessera/domain';
import { RATE_LIMITER, type RateLimiter } from '@tessera/server';

const MINUTE_MS = 60_000;

/** Per workspace, per principal and per OAuth client limits at the connector; the strictest answer wins. */
@Injectable()
export class ConnectorRateLimits {
  constructor(@Inject(RATE_LIMITER) private readonly limiter: RateLimiter) {}

  /** Seconds to wait when over a limit, or 0 when the request may proceed. */
  async retryAfter(ctx: WorkspaceContext, principal: Principal): Promise<number> {
    const limits = rateLimitsOf(ctx.settings);
    const checks = [
      this.limiter.hit(`ws:${ctx.workspaceId}`, limits.workspacePerMinute, MINUTE_MS),
      this.limiter.hit(`principal:${ctx.workspaceId}:${principal.credentialId}`, limits.principalPerMinute, MINUTE_MS),
    ];
    if (principal.clientId) checks.push(this.limiter.hit(`client:${ctx.workspaceId}:${principal.clientId}`, limits.clientPerMinute, MINUTE_MS));
    const decisions = await Promise.all(checks);
    const refused = decisions.filter((d) => !d.allowed);
    return refused.length ? Math.max(...refused.map((d) => d.retryAfterSeconds)) : 0;
  }
}
