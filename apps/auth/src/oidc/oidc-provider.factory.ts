import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Provider, { type Configuration, errors } from 'oidc-provider';
import { preregisteredWorkspaceId, TOOL_SCOPES } from '@tessera/domain';
import { instrumentOidcProvider, TesseraMetrics } from '@tessera/observability';
import { OidcModelRepository, SigningKeyRepository } from '@tessera/persistence';
import { ClientAddressRule, InvalidationEvents, OutboundHttp, PLATFORM_CONFIG, type PlatformConfig, RATE_LIMITER, type RateLimiter, requiredAdminToken } from '@tessera/server';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth-config';
import { renderErrorPage } from '../interaction/pages';
import { applicationTypeProblem, firstDisallowedRedirect, metadataUrlProblem, platformRedirectPolicy } from './client-rules';
import { answerPlainHttpSignIn, isPlainHttpSignIn } from './plain-http-sign-in';
import { loadSigningKeys, SIGNING_ALG } from './signing-keys';
import { typeormAdapterFactory } from './typeorm-adapter';
import { consoleClientMetadata, consoleGrant, consoleResourceServer, isConsoleClient } from './console-client';
import { clientKindOf, requireOneResource, workspaceForClient } from './workspace-access';
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
    private readonly outbound: OutboundHttp,
  ) {}

  async create(): Promise<Provider> {
    const keys = await loadSigningKeys(this.signingKeys);
    const provider = new Provider(this.config.issuer, this.configuration(keys));
    // Koa honours X-Forwarded-Proto/-Host (for URLs and secure cookies) and X-Forwarded-For only because
    // startHttpApp drops them unless the peer is a proxy TRUST_PROXY names; the client address itself is
    // the platform's one rule, not koa's own reading of X-Forwarded-For.
    provider.proxy = true;
    const clientAddresses = new ClientAddressRule(this.platform.trustProxy);
    let warnedPlainHttp = false;
    instrumentOidcProvider(provider, this.metrics);
    provider.use(async (ctx, next) => {
      clientAddresses.dropUntrustedForwardedHeaders(ctx.req);
      ctx.request.ip = clientAddresses.clientAddress(ctx.req);
      if (isPlainHttpSignIn(this.config.secureCookies, ctx.secure, ctx.path)) {
        if (!warnedPlainHttp) this.logger.warn('a sign-in request arrived over plain http while PUBLIC_URL is https: set TRUST_PROXY to the TLS-terminating proxy (refused with 400)');
        warnedPlainHttp = true;
        return answerPlainHttpSignIn(ctx);
      }
      // Token and registration endpoints are limited per client address (shared across replicas via Redis).
      const endpoint = limitedEndpoint(ctx.method, ctx.path);
      const limit = endpoint === 'token' ? this.config.tokenRatePerMinute : endpoint === 'registration' ? this.config.registrationRatePerMinute : undefined;
      if (endpoint && limit !== undefined) {
        const decision = await this.limiter.hit(`oauth:${endpoint}:${ctx.ip}`, limit, 60_000);
        if (!decision.allowed) {
          this.metrics.rateLimited(endpoint === 'token' ? 'oauth_token' : 'oauth_registration');
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
      (provider.on as (name: string, listener: (ctx: unknown, error: Error & { error?: string }) => void) => void)(event, (ctx, error) => {
        if (event === 'server_error') answerServerError(ctx, error, this.logger);
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
    const platformUrl = this.platform.publicUrl;
    return {
      adapter: typeormAdapterFactory(models, (grantId) => this.events.grantRevoked(grantId)),
      clients: [consoleClientMetadata(this.platform.publicUrl, requiredAdminToken(this.platform))],
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
        if (isConsoleClient(ctx.oidc.client)) return undefined;
        const workspace = await directory.workspaceForResource(token.aud);
        const user = await directory.findUser(token.accountId);
        const groups = workspace && user ? await directory.groupsIn(workspace, user.id) : null;
        if (!workspace || !user || groups === null) {
          throw new errors.InvalidGrant('the user is no longer a member of this workspace');
        }
        // client_kind: the gateway re-applies the workspace's client policy to every call (clientKindRefusal).
        const clientKind = ctx.oidc.client ? clientKindOf(ctx.oidc.client).kind : undefined;
        return { email: user.email, groups, gid: token.grantId, workspace_id: workspace.workspaceId, client_kind: clientKind };
      },
      async loadExistingGrant(ctx) {
        const accountId = ctx.oidc.session?.accountId;
        const clientId = ctx.oidc.client?.clientId;
        if (accountId && isConsoleClient(ctx.oidc.client)) return consoleGrant(ctx, accountId, directory);
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
          // These run before oidc-provider checks types: nothing but text reaches the policy below.
          if (value !== undefined && value !== null && typeof value !== 'string') throw new errors.InvalidClientMetadata(`${key} must be a string`);
          if (key !== 'software_id') return;
          const redirectUris: unknown = metadata.redirect_uris ?? [];
          if (!Array.isArray(redirectUris) || !redirectUris.every((uri): uri is string => typeof uri === 'string')) {
            throw new errors.InvalidClientMetadata('redirect_uris must be an array of strings');
          }
          // Neither a registration request nor a metadata document may claim to be a pre-registered client.
          const claimsPreregistered = preregisteredWorkspaceId(value) !== undefined;
          if (claimsPreregistered && (ctx || /^https?:/i.test(String(metadata.client_id)))) {
            throw new errors.InvalidClientMetadata('software_id values starting with "tessera:" are reserved');
          }
          // Pre-registered clients were checked by the tenant admin's API; their workspace policy applies at authorization.
          if (!ctx && preregisteredWorkspaceId(value) !== undefined) return;
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
            // Called with several values when a token request repeats `resource`: refused like any repetition.
            if (oneOf?.length === 1) return oneOf[0]!;
            if (oneOf) requireOneResource(oneOf);
            throw new errors.InvalidTarget('the resource parameter is required: the connector URL of the workspace (RFC 8707)');
          },
          useGrantedResource: async () => true,
          // Where oidc-provider resolves a resource, at authorization and at the token endpoint: Tessera's client policy.
          async getResourceServerInfo(ctx, resource, client) {
            const forConsole = await consoleResourceServer(platformUrl, resource, client, directory);
            if (forConsole) return forConsole;
            await workspaceForClient(ctx, resource, client, directory, config.extraRedirectUris);
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
      // Everything oidc-provider fetches (metadata documents, client jwks_uri, sector identifiers) is guarded.
      fetch: (url, options) => this.outbound.fetch(url, options),
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = renderErrorPage(String(out.error ?? 'error'), String(out.error_description ?? 'The request could not be completed.'));
      },
    };
  }
}

const TOKEN_PATH = `${OAUTH_PREFIX}/token`.toUpperCase();
const REGISTRATION_PATH = `${OAUTH_PREFIX}/register`.toUpperCase();

/**
 * Which rate-limited endpoint a request reaches, matched as oidc-provider's router matches it (case-folded,
 * one trailing slash ignored), so `/oauth/Token/` cannot slip past its endpoint's limit.
 */
export function limitedEndpoint(method: string, path: string): 'token' | 'registration' | undefined {
  const folded = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toUpperCase();
  if (folded === TOKEN_PATH) return 'token';
  if (folded === REGISTRATION_PATH && method === 'POST') return 'registration';
  return undefined;
}

/**
 * A 500 from the provider, as everywhere else: the log line and the answer share an error id, and the
 * answer says nothing internal. The provider emits this after setting its JSON body (`server_error`).
 */
function answerServerError(ctx: unknown, error: Error, logger: Logger): void {
  const errorId = randomUUID();
  logger.error({ errorId, err: error }, 'authorization server error');
  const body = (ctx as { body?: unknown } | undefined)?.body;
  if (body && typeof body === 'object' && (body as { error?: unknown }).error === 'server_error') {
    (body as { error_description?: string }).error_description = `internal error (id ${errorId})`;
  }
}
