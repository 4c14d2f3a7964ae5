import { applyDecorators, createParamDecorator, ExecutionContext, Injectable, UnauthorizedException, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from './actor';
import { API_STRATEGY } from './api-key.strategy';
import { ConsoleSessionService } from './console-session.service';

/**
 * A bearer token (platform admin token or tenant API key), or else a tenant admin's console session
 * cookie, which then acts as its tenant under the same rules (and must pass the CSRF checks).
 */
@Injectable()
class ApiAuthGuard extends AuthGuard(API_STRATEGY) {
  constructor(private readonly consoleSessions: ConsoleSessionService) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    if (!request.headers.authorization) {
      const actor = await this.consoleSessions.actorFor(request);
      if (actor) {
        request.user = actor;
        return true;
      }
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(error: unknown, actor: T, _info: unknown, context: ExecutionContext): T {
    if (error || !actor) {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
      const challenge = request.headers.authorization ? 'Bearer realm="tessera", error="invalid_token"' : 'Bearer realm="tessera"';
      context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('WWW-Authenticate', challenge);
      throw new UnauthorizedException({
        code: 'unauthorized',
        message: 'missing or invalid bearer token (use the platform admin token or a tenant API key)',
      });
    }
    return actor;
  }
}

/** Every /v1 route: a valid admin token or tenant API key. Tenant scoping is the service's first check. */
export const Authenticated = () =>
  applyDecorators(UseGuards(ApiAuthGuard), ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'Missing or invalid token' }));

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ user: Actor }>().user;
});
