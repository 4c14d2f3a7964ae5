import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  clientDisplayName,
  connectorUrl,
  ErrorCode,
  isLoopbackRedirectUri,
  isValidRedirectPattern,
  normalizeUserIdentifier,
  PREREGISTERED_SOFTWARE_ID_PREFIX as PREREGISTERED_PREFIX,
  TesseraError,
} from '@tessera/domain';
import { AuditRepository, OidcModelRepository, UserRepository } from '@tessera/persistence';
import { InvalidationEvents, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import { Actor, actorId } from '../api-auth/actor';
import { TenantAccessService } from '../api-auth/tenant-access.service';
import type { ConsentDto, CreatedOAuthClientDto, CreateOAuthClientDto, OAuthClientDto } from './dto/oauth-client.dto';


/** Pre-registered OAuth clients of a workspace, and the consents its users gave to clients. */
@Injectable()
export class OAuthClientsService {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly access: TenantAccessService,
    private readonly models: OidcModelRepository,
    private readonly users: UserRepository,
    private readonly audit: AuditRepository,
    private readonly events: InvalidationEvents,
  ) {}

  async create(actor: Actor, tenantSlug: string, workspaceSlug: string, input: CreateOAuthClientDto): Promise<CreatedOAuthClientDto> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const bad = input.redirectUris.find((uri) => uri.endsWith('/*') || !isValidRedirectPattern(uri));
    if (bad) throw TesseraError.validation(`redirectUris: ${bad.slice(0, 200)} must be an exact https URL (or loopback http) without fragment`);
    const clientId = `tsc_${randomBytes(16).toString('base64url')}`;
    const clientSecret = input.confidential ? randomBytes(32).toString('base64url') : undefined;
    const method = clientSecret ? 'client_secret_basic' : 'none';
    await this.models.upsert('Client', clientId, {
      client_id: clientId,
      ...(clientSecret ? { client_secret: clientSecret } : {}),
      client_name: input.clientName,
      redirect_uris: input.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: method,
      application_type: input.redirectUris.every(isLoopbackRedirectUri) ? 'native' : 'web',
      software_id: `${PREREGISTERED_PREFIX}${workspace.id}`,
    });
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'oauth_client.create',
      outcome: 'success',
      details: { clientId, redirectUris: input.redirectUris },
    });
    return { clientId, clientName: input.clientName, redirectUris: input.redirectUris, tokenEndpointAuthMethod: method, ...(clientSecret ? { clientSecret } : {}) };
  }

  async list(actor: Actor, tenantSlug: string, workspaceSlug: string): Promise<OAuthClientDto[]> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const rows = await this.models.listClientsBySoftwareId(`${PREREGISTERED_PREFIX}${workspace.id}`);
    return rows.map((p) => ({
      clientId: String(p.client_id),
      clientName: String(p.client_name ?? ''),
      redirectUris: (p.redirect_uris as string[]) ?? [],
      tokenEndpointAuthMethod: String(p.token_endpoint_auth_method),
    }));
  }

  async delete(actor: Actor, tenantSlug: string, workspaceSlug: string, clientId: string): Promise<void> {
    const { workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const row = await this.models.find('Client', clientId);
    if (!row || row.payload.software_id !== `${PREREGISTERED_PREFIX}${workspace.id}`) throw TesseraError.notFound('OAuth client');
    // Its consents go with it, so its refresh tokens stop working and the gateway refuses its live access tokens.
    const grantIds = await this.models.deleteClient(clientId);
    for (const grantId of grantIds) this.events.grantRevoked(grantId);
    await this.audit.append({
      tenantId: workspace.tenantId,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'oauth_client.delete',
      outcome: 'success',
      details: { clientId, grants: grantIds.length },
    });
  }

  /** The consents a user of this workspace gave, one per client. */
  async consents(actor: Actor, tenantSlug: string, workspaceSlug: string, email: string): Promise<ConsentDto[]> {
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const user = await this.users.findByEmail(tenant.id, normalizeUserIdentifier(email));
    if (!user || (await this.users.groupsIn(workspace.id, user.id)) === null) throw TesseraError.notFound('user');
    const resource = connectorUrl(this.platform.publicUrl, tenant.slug, workspace.slug);
    const grants = await this.models.listGrants(user.id);
    const consents = grants.flatMap((g) => {
      const scope = (g.payload.resources as Record<string, string> | undefined)?.[resource];
      return typeof scope === 'string' ? [{ grantId: g.id, clientId: String(g.payload.clientId), scopes: scope.split(' '), iat: g.payload.iat }] : [];
    });
    return Promise.all(consents.map(async ({ iat, ...consent }) => ({
      ...consent,
      clientName: clientDisplayName(consent.clientId, (await this.models.find('Client', consent.clientId))?.payload.client_name) ?? consent.clientId,
      ...(typeof iat === 'number' ? { grantedAt: new Date(iat * 1000).toISOString() } : {}),
    })));
  }

  /**
   * Revokes a consent to this workspace: what the client was given for its connector stops working (its
   * refresh tokens, and its live access tokens at the gateway). A grant is one per person and client and
   * may cover other workspaces of the tenant too; those stay (the consents listed there).
   */
  async revokeConsent(actor: Actor, tenantSlug: string, workspaceSlug: string, email: string, grantId: string): Promise<void> {
    const consents = await this.consents(actor, tenantSlug, workspaceSlug, email);
    if (!consents.some((c) => c.grantId === grantId)) throw new TesseraError(ErrorCode.NotFound, 'consent not found');
    const { tenant, workspace } = await this.access.requireWorkspace(actor, tenantSlug, workspaceSlug);
    const resource = connectorUrl(this.platform.publicUrl, tenant.slug, workspace.slug);
    const withdrawn = await this.models.withdrawResource(grantId, resource);
    this.events.grantRevoked(grantId, withdrawn === 'narrowed' ? resource : undefined);
    await this.audit.append({
      tenantId: tenant.id,
      workspaceId: workspace.id,
      actorKind: actor.kind,
      actorId: actorId(actor),
      action: 'oauth_consent.revoke',
      outcome: 'success',
      details: { grantId, otherWorkspacesKept: withdrawn === 'narrowed' },
    });
  }
}
