import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { FEDERATION_CALLBACK_PATH, publicHttpsUrlProblem } from '@tessera/domain';
import type { IdentityProviderRecord } from '@tessera/persistence';
import { OutboundHttp, PLATFORM_CONFIG, type PlatformConfig, requiredEncryptionKey, SecretBox } from '@tessera/server';
import { AUTH_CONFIG, type AuthConfig } from '../config/auth-config';

const DISCOVERY_TTL_MS = 10 * 60_000;

/** The issuer was refused before any connection was made (not https, or an internal address). */
export class IssuerRefused extends Error {}

/**
 * A tenant IdP as openid-client's Configuration: discovered through the SSRF-guarded fetch, with the
 * tenant's client secret (opened here, never returned), cached for ten minutes per configuration.
 */
@Injectable()
export class IdpDiscovery {
  private readonly box: SecretBox;
  private readonly discovered = new Map<string, { config: oidc.Configuration; at: number }>();

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly outbound: OutboundHttp,
  ) {
    this.box = new SecretBox(requiredEncryptionKey(platform), platform.previousEncryptionKeys);
  }

  async configuration(idp: IdentityProviderRecord, { fresh = false } = {}): Promise<oidc.Configuration> {
    const key = `${idp.tenantId}|${idp.issuer}|${idp.clientId}|${idp.clientSecretSealed}`;
    const cached = this.discovered.get(key);
    if (!fresh && cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const insecure = idp.issuer.startsWith('http://');
    if (insecure && !this.config.devAllowLoopbackMetadata) throw new IssuerRefused('identity provider issuer must use https');
    // The issuer is tenant-supplied: never let it point the authorization server at internal addresses.
    const problem = insecure ? undefined : publicHttpsUrlProblem(idp.issuer, this.config.devAllowLoopbackMetadata, 'identity provider issuers');
    if (problem) throw new IssuerRefused(problem);
    // Discovery and everything after it (JWKS, token endpoint) go through the guarded fetch: whatever the
    // issuer's name or its metadata point at, no connection reaches a private or special-use address.
    const options: oidc.DiscoveryRequestOptions = { [oidc.customFetch]: this.outbound.fetch, timeout: 10 };
    const configuration = await oidc.discovery(
      new URL(idp.issuer),
      idp.clientId,
      undefined,
      oidc.ClientSecretBasic(this.box.open(idp.clientSecretSealed)),
      insecure ? { ...options, execute: [oidc.allowInsecureRequests] } : options,
    );
    this.discovered.set(key, { config: configuration, at: Date.now() });
    return configuration;
  }

  /** Where the IdP returns the browser: the one redirect URI registered at the tenant's IdP. */
  callbackUrl(): string {
    return `${this.platform.publicUrl}${FEDERATION_CALLBACK_PATH}`;
  }

  /** The IdP's authorization request: code flow with PKCE (S256), state and nonce. */
  async authorizationUrl(configuration: oidc.Configuration, request: { state: string; verifier: string; nonce: string }): Promise<URL> {
    return oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.callbackUrl(),
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(request.verifier),
      code_challenge_method: 'S256',
      state: request.state,
      nonce: request.nonce,
    });
  }

  /** The IdP's return (the full callback URL): exchanges the code with PKCE, checks state, nonce and the ID token. */
  async idTokenClaims(configuration: oidc.Configuration, callbackPathAndQuery: string, expected: { state: string; verifier: string; nonce: string }): Promise<oidc.IDToken> {
    const tokens = await oidc.authorizationCodeGrant(configuration, new URL(callbackPathAndQuery, this.platform.publicUrl), {
      pkceCodeVerifier: expected.verifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    return tokens.claims()!;
  }
}
