import * as oidc from 'openid-client';
import { type FederationTestFailureCode, idpMessage } from '@tessera/domain';
import { OutboundRequestRefused } from '@tessera/server';
import { IssuerRefused } from './idp-discovery';

export interface FederationTestFailure {
  readonly code: FederationTestFailureCode;
  readonly message: string;
}

/** Why discovery failed, for the admin who runs "Test sign-in". */
export function discoveryFailure(error: unknown, issuer: string): FederationTestFailure {
  if (error instanceof IssuerRefused || error instanceof OutboundRequestRefused) {
    return { code: 'issuer_refused', message: `Tessera will not connect to ${issuer}: ${idpMessage((error as Error).message)}` };
  }
  return { code: 'discovery_failed', message: `The OpenID discovery document of ${issuer} could not be read (${reason(error)}). Check the issuer URL: ${issuer}/.well-known/openid-configuration must answer.` };
}

/** Why the code exchange or the ID token check failed. Never echoes a token or the client secret. */
export function exchangeFailure(error: unknown): FederationTestFailure {
  if (error instanceof oidc.ResponseBodyError) {
    const said = [idpMessage(error.error, 64), idpMessage(error.error_description)].filter(Boolean).join(': ');
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
      return { code: 'client_authentication_failed', message: `The IdP refused the client ID or client secret (${said}). Save the secret again as your IdP shows it.` };
    }
    if (error.error === 'invalid_grant') {
      return { code: 'code_exchange_refused', message: `The IdP refused to exchange the sign-in code (${said}): is the redirect URI registered at the IdP exactly as shown?` };
    }
    return { code: 'token_request_failed', message: `The IdP's token endpoint answered HTTP ${error.status} (${said}).` };
  }
  // A 401 with a WWW-Authenticate challenge from the token endpoint: the client's authentication failed (RFC 6749 §5.2).
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    const said = idpMessage(error.cause.map((c) => c.parameters.error ?? c.scheme).join(', '), 64);
    if (error.status === 401) return { code: 'client_authentication_failed', message: `The IdP refused the client ID or client secret (HTTP 401${said ? `: ${said}` : ''}). Save the secret again as your IdP shows it.` };
    return { code: 'token_request_failed', message: `The IdP's token endpoint answered HTTP ${error.status}${said ? ` (${said})` : ''}.` };
  }
  if (error instanceof OutboundRequestRefused) return { code: 'token_request_failed', message: `Tessera will not connect to the IdP's token endpoint or keys: ${idpMessage(error.message)}` };
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^OAUTH_(JWT|JWS|KEY_SELECTION|JSON_ATTRIBUTE)/.test(code)) {
    return { code: 'id_token_invalid', message: `The IdP's ID token did not verify (${reason(error)}).` };
  }
  return { code: 'token_request_failed', message: `The IdP's token endpoint could not be used (${reason(error)}).` };
}

function reason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return idpMessage(error instanceof Error ? `${error.message}${cause}` : String(error), 200) || 'no detail';
}

/**
 * The IdP's answer to the authorization request itself, fetched once by the server before the browser goes
 * there: an IdP refuses an unregistered redirect URI or unknown client with an error page (RFC 6749 §4.1.2.1
 * forbids redirecting), which the browser would show and Tessera would never hear of.
 */
export function authorizationRequestFailure(status: number, redirectUri: string, clientId: string): FederationTestFailure | undefined {
  if (status < 400) return undefined;
  return {
    code: 'redirect_refused',
    message: `The IdP refused the sign-in request (HTTP ${status}) before anyone signed in: register the redirect URI ${redirectUri} for client ${idpMessage(clientId, 256)} there, and check the client ID.`,
  };
}
