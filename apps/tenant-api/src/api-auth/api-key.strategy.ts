import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { TenantRepository } from '@tessera/persistence';
import { constantTimeEquals, hashSecret, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import type { Actor } from './actor';

export const API_STRATEGY = 'tessera-api';

/** Bearer auth for /v1: the platform admin token, or a tenant API key (looked up by its hash). */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_STRATEGY) {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tenants: TenantRepository,
  ) {
    super();
  }

  async validate(token: string): Promise<Actor | false> {
    if (this.config.adminToken !== undefined && constantTimeEquals(token, this.config.adminToken)) return { kind: 'platform' };
    if (!token.startsWith('tsk_')) return false;
    const tenant = await this.tenants.findByApiKeyHash(hashSecret(token));
    return tenant ? { kind: 'tenant', tenantId: tenant.id } : false;
  }
}
