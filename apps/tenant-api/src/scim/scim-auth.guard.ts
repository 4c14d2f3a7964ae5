import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ScimTokenRepository, TenantRepository } from '@tessera/persistence';
import { hashSecret, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { ScimError } from './scim-errors';
import { scimBaseUrl } from './scim-schemas';

/** Who calls the SCIM service: one tenant's IdP, through one of the tenant's SCIM tokens. */
export interface ScimCaller {
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly tokenId: string;
  /** `{PUBLIC_URL}/scim/v2/{tenant}`, for `meta.location` and references. */
  readonly baseUrl: string;
}

type ScimRequest = Request & { scimCaller?: ScimCaller };

const BEARER = /^Bearer +(tss_[A-Za-z0-9_-]{16,128}) *$/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A SCIM token is valid for its own tenant's path only: another tenant's token, a revoked one, or a
 * tenant that does not exist all answer the same 401, so a token learns nothing about other tenants.
 * Requests with a body must be JSON (application/scim+json or application/json): 415 otherwise.
 */
@Injectable()
export class ScimAuthGuard implements CanActivate {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly tokens: ScimTokenRepository,
    private readonly tenants: TenantRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ScimRequest>();
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw ScimError.unauthorized();
    const record = await this.tokens.findActiveByHash(hashSecret(token));
    const tenantSlug = String(req.params.tenant ?? '');
    const tenant = record ? await this.tenants.findBySlug(tenantSlug) : null;
    if (!record || !tenant || tenant.id !== record.tenantId) throw ScimError.unauthorized();
    if (BODY_METHODS.has(req.method) && !req.is(['application/scim+json', 'application/json'])) {
      throw new ScimError(415, 'send the request body as application/scim+json (or application/json)');
    }
    req.scimCaller = { tenantId: tenant.id, tenantSlug: tenant.slug, tokenId: record.id, baseUrl: scimBaseUrl(this.platform.publicUrl, tenant.slug) };
    return true;
  }
}

export const CurrentScimCaller = createParamDecorator((_: unknown, context: ExecutionContext): ScimCaller => {
  return context.switchToHttp().getRequest<ScimRequest>().scimCaller!;
});
