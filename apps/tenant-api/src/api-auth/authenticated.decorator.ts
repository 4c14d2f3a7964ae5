import { applyDecorators, createParamDecorator, ExecutionContext, UnauthorizedException, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from './actor';
import { API_STRATEGY } from './api-key.strategy';

class ApiAuthGuard extends AuthGuard(API_STRATEGY) {
  override handleRequest<T>(error: unknown, actor: T): T {
    if (error || !actor) {
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
