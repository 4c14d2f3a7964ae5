import { Inject, Injectable, Logger } from '@nestjs/common';
import Provider, { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { Agent } from 'undici';
import { preregisteredWorkspaceId, TOOL_SCOPES, WorkspaceContext } from '@tessera/domain';
import { instrumentOidcProvider, TesseraMetrics } from '@tessera/observability';
import { OidcModelRepository, SigningKeyRepository } from '@tessera/persistence';
import { InvalidationEvents, PLATFORM_CONFIG, type PlatformConfig, RATE_LIMITER, type RateLimiter } from '@tessera/server';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth-config';
import { renderErrorPage } from '../interaction/pages';
import { applicationTypeProblem, firstDisallowedRedirect, metadataUrlProblem, platformRedirectPolicy, workspaceClientPolicy } from './client-rules';
import { loadSigningKeys, SIGNING_ALG } from './signing-keys';
import { typeormAdapterFactory } from './typeorm-adapter';
import { WorkspaceDirectory } from './workspace-directory';

export const OAUTH_PREFIX = '/oauth';
const RESOURCE_SCOPE = TOOL_SCOPES.join(' ');

/**
 * Builds the oidc-provider instance: authorization code + PKCE (S256), RFC 8707 resource indicators bound
 * to workspace connector URLs, JWT access tokens (RFC 9068), refresh rotation with reuse detection, DCR and
 * its management, Client ID Metadata Documents, revocation and introspection. Protocol logic stays in the
 * library; this file holds Tessera's policy.
 */
@Injectable()
export class OidcProviderFactory {
  private readonly logger = new Logger('OAuth');

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly directory: WorkspaceDirectory,
    private readonly models: OidcModelRepository,
    private readonly signingKeys: SigningKeyRepository,
    private readonly events: InvalidationEvents,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    private readonly metrics: TesseraMetrics,
  ) {}

  async create(): Promise<Provider> {
    const keys = await loadSigningKeys(this.signingKeys);
    const provider = new Provider(this.config.issuer, this.configuration(keys));
    provider.proxy = true;
    instrumentOidcProvider(provider, this.metrics);
    provider.use(async (ctx, next) => {
      // Token and registration endpoints are limited per client address (shared across replicas via Redis).
      const limit =
        ctx.path === `${OAUTH_PREFIX}/token` ? this.config.tokenRatePerMinute
        : ctx.path === `${OAUTH_PREFIX}/register` && ctx.method === 'POST' ? this.config.registrationRatePerMinute
        : undefined;
      if (limit !== undefined) {
        const decision = await this.limiter.hit(`oauth:${ctx.path}:${ctx.ip}`, limit, 60_000);
        if (!decision.allowed) {
          this.metrics.rateLimited(ctx.path.endsWith('/token') ? 'oauth_token' : 'oauth_registration');
          ctx.status = 429;
          ctx.set('Retry-After', String(decision.retryAfterSeconds));
          ctx.set('Cache-Control', 'no-store');
          ctx.body = { error: 'temporarily_unavailable', error_description: `too many requests; retry after ${decision.retryAfterSeconds} seconds` };
          return;
        }
      }
      await next();
    });
    for (const event of ['server_error', 'authorization.error', 'grant.error', 'registration_create.error', 'introspection.error', 'revocation.error'] as const) {
      (provider.on as (name: string, listener: (ctx: unknown, error: Error & { error?: string }) => void) => void)(event, (_ctx, error) => {
        if (event === 'server_error') this.logger.error({ err: error }, 'authorization server error');
        else this.logger.debug(`${event}: ${error.error ?? error.message}`);
      });
    }
    provider.on('grant.revoked', (_ctx: unknown, grantId: string) => this.events.grantRevoked(grantId));
    return provider;
  }

  private configuration(keys: Array<Record<string, unknown>>): Configuration {
    const directory = this.directory;
    const config = this.config;
    const models = this.models;
    const platformPolicy = platformRedirectPolicy(config.extraRedirectUris);
    const secure = config.secureCookies;
    return {
      adapter: typeormAdapterFactory(models, (grantId) => this.events.grantRevoked(grantId)),
      jwks: { keys: keys as never },
      cookies: {
        keys: config.cookieKeys,
        names: secure
          ? { session: '__Host-tessera_session', interaction: '__Secure-tessera_interaction', resume: '__Secure-tessera_resume' }
          : { session: 'tessera_session', interaction: 'tessera_interaction', resume: 'tessera_resume' },
        long: { httpOnly: true, sameSite: 'lax', secure, signed: true },
        short: { httpOnly: true, sameSite: 'lax', secure, signed: true },
      },
      routes: {
        authorization: `${OAUTH_PREFIX}/authorize`,
        token: `${OAUTH_PREFIX}/token`,
        registration: `${OAUTH_PREFIX}/register`,
        revocation: `${OAUTH_PREFIX}/revoke`,
        introspection: `${OAUTH_PREFIX}/introspect`,
        jwks: `${OAUTH_PREFIX}/jwks`,
        userinfo: `${OAUTH_PREFIX}/userinfo`,
        end_session: `${OAUTH_PREFIX}/logout`,
        pushed_authorization_request: `${OAUTH_PREFIX}/par`,
      },
      interactions: { url: (_ctx, interaction) => `${OAUTH_PREFIX}/interaction/${interaction.uid}` },
      // The tool scopes are listed too, so clients may name them in their registered `scope` metadata.
      scopes: ['openid', 'offline_access', 'email', 'profile', ...TOOL_SCOPES],
      claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
      responseTypes: ['code'],
      pkce: { required: () => true },
      clientDefaults: {
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: SIGNING_ALG,
      },
      enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALG] },
      ttl: {
        AccessToken: config.accessTokenTtlSeconds,
        AuthorizationCode: 60,
        IdToken: 3600,
        Interaction: 600,
        Session: 14 * 86_400,
        Grant: config.refreshTokenTtlSeconds,
        RefreshToken: config.refreshTokenTtlSeconds,
      },
      rotateRefreshToken: true,
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      async findAccount(_ctx, sub) {
        const user = await directory.findUser(sub);
        if (!user) return undefined;
        return { accountId: sub, claims: async () => ({ sub, email: user.email, name: user.name }) };
      },
      // Access tokens carry what the gateway needs to filter by ACL, and the grant for revocation checks.
      async extraTokenClaims(ctx, token) {
        if (token.kind !== 'AccessToken' || typeof token.aud !== 'string' || !token.accountId) return undefined;
        const workspace = await directory.workspaceForResource(token.aud);
        const user = await directory.findUser(token.accountId);
        const groups = workspace && user ? await directory.groupsIn(workspace, user.id) : null;
        if (!workspace || !user || groups === null) {
          throw new errors.InvalidGrant('the user is no longer a member of this workspace');
        }
        return { email: user.email, groups, gid: token.grantId, workspace_id: workspace.workspaceId };
      },
      async loadExistingGrant(ctx) {
        const accountId = ctx.oidc.session?.accountId;
        const clientId = ctx.oidc.client?.clientId;
        const grantId =
          ctx.oidc.result?.consent?.grantId ??
          ctx.oidc.session?.grantIdFor(clientId!) ??
          (accountId && clientId ? await models.findGrantId(accountId, clientId) : undefined);
        return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
      },
      // Every client must redirect only where the platform allows (ChatGPT's, loopback, configured extras).
      extraClientMetadata: {
        properties: ['software_id', 'software_version'],
        validator(ctx, key, value, metadata) {
          if (key !== 'software_id') return;
          // Neither a registration request nor a metadata document may claim to be a pre-registered client.
          const claimsPreregistered = preregisteredWorkspaceId(value) !== undefined;
          if (claimsPreregistered && (ctx || /^https?:/i.test(String(metadata.client_id)))) {
            throw new errors.InvalidClientMetadata('software_id values starting with "tessera:" are reserved');
          }
          // Pre-registered clients were checked by the tenant admin's API; their workspace policy applies at authorization.
          if (!ctx && preregisteredWorkspaceId(value) !== undefined) return;
          const redirectUris = (metadata.redirect_uris as string[] | undefined) ?? [];
          const disallowed = firstDisallowedRedirect(redirectUris, platformPolicy);
          if (disallowed) {
            throw new errors.CustomOIDCProviderError('invalid_redirect_uri', `redirect_uri ${disallowed.slice(0, 200)} is not allowed by this server's policy`);
          }
          // Dynamic Client Registration (SEP-837): a declared application_type is native for loopback redirects, web otherwise.
          if (ctx && (ctx.oidc.route === 'registration' || ctx.oidc.route === 'client_update')) {
            const problem = applicationTypeProblem((ctx.oidc.body as { application_type?: unknown } | undefined)?.application_type, redirectUris);
            if (problem) throw new errors.InvalidClientMetadata(problem);
          }
        },
      },
      // Runs at the authorization endpoint once the client, redirect URI and resource are known.
      extraParams: {
        async tessera_policy(ctx: KoaContextWithOIDC) {
          const resource = ctx.oidc.params?.resource;
          if (typeof resource !== 'string') return;
          const workspace = await directory.workspaceForResource(resource);
          if (!workspace) throw new errors.InvalidTarget('resource is not the connector URL of a workspace');
          enforceWorkspacePolicy(ctx, workspace, config.extraRedirectUris);
        },
      },
      features: {
        devInteractions: { enabled: false },
        userinfo: { enabled: false },
        revocation: { enabled: true },
        introspection: { enabled: true },
        registration: { enabled: true },
        registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
        rpInitiatedLogout: { enabled: true },
        clientIdMetadataDocument: {
          enabled: true,
          ack: 'draft-02',
          async allowFetch(_ctx, clientId) {
            return metadataUrlProblem(clientId, config.devAllowLoopbackMetadata) === undefined;
          },
          async allowClient(_ctx, client) {
            return firstDisallowedRedirect(client.redirectUris ?? [], platformPolicy) === undefined;
          },
        },
        resourceIndicators: {
          enabled: true,
          async defaultResource(_ctx, _client, oneOf) {
            if (oneOf) return oneOf;
            throw new errors.InvalidTarget('the resource parameter is required: the connector URL of the workspace (RFC 8707)');
          },
          useGrantedResource: async () => true,
          async getResourceServerInfo(_ctx, resource) {
            const workspace = await directory.workspaceForResource(resource);
            if (!workspace) throw new errors.InvalidTarget('resource is not the connector URL of a workspace');
            return {
              scope: RESOURCE_SCOPE,
              audience: resource,
              accessTokenFormat: 'jwt',
              accessTokenTTL: config.accessTokenTtlSeconds,
              jwt: { sign: { alg: SIGNING_ALG } },
            };
          },
        },
      },
      fetch: this.metadataFetch(),
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = renderErrorPage(String(out.error ?? 'error'), String(out.error_description ?? 'The request could not be completed.'));
      },
    };
  }

  /** In development only, trust a local CA and reach loopback hosts (the default blocks private addresses). */
  private metadataFetch(): Configuration['fetch'] {
    if (!this.config.devAllowLoopbackMetadata) return undefined;
    const dispatcher = new Agent({ connect: this.config.metadataFetchCa ? { ca: this.config.metadataFetchCa } : {} });
    return (url, options) => fetch(url, { ...options, dispatcher } as RequestInit);
  }
}

function enforceWorkspacePolicy(ctx: KoaContextWithOIDC, workspace: WorkspaceContext, extraRedirectUris: readonly string[]): void {
  const client = ctx.oidc.client!;
  const viaMetadataDocument = (client as { clientIdMetadataDocument?: boolean }).clientIdMetadataDocument === true;
  const preregisteredFor = viaMetadataDocument ? undefined : preregisteredWorkspaceId(client.metadata().software_id);
  if (preregisteredFor !== undefined) {
    // Registered by this workspace's admin, for this workspace only, with the redirect URIs they chose.
    if (preregisteredFor !== workspace.workspaceId) throw new errors.UnauthorizedClient('this client is registered for another workspace');
    return;
  }
  const policy = workspaceClientPolicy(workspace, extraRedirectUris);
  if (viaMetadataDocument && !policy.allowMetadataDocuments) {
    throw new errors.UnauthorizedClient('this workspace does not accept clients identified by metadata documents');
  }
  // Not a metadata-document client and not pre-registered: it came through Dynamic Client Registration.
  if (!viaMetadataDocument && !policy.allowDynamicRegistration) {
    throw new errors.UnauthorizedClient('this workspace does not accept dynamically registered clients');
  }
  const redirectUri = ctx.oidc.params?.redirect_uri;
  if (typeof redirectUri === 'string' && firstDisallowedRedirect([redirectUri], policy)) {
    throw new errors.InvalidRequest('redirect_uri is not allowed for this workspace');
  }
}
