import { Inject, Injectable } from '@nestjs/common';
import type { Principal, WorkspaceContext } from '@tessera/domain';
import { inSpan } from '@tessera/observability';
import { ACCESS_TOKEN_VERIFIERS, type AccessTokenVerifier } from './access-token-verifier';

export type Authentication = { kind: 'ok'; principal: Principal } | { kind: 'missing' } | { kind: 'invalid'; reason: string };

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Reads the Authorization header and asks the verifier that understands the token. */
@Injectable()
export class BearerAuthenticator {
  constructor(@Inject(ACCESS_TOKEN_VERIFIERS) private readonly verifiers: AccessTokenVerifier[]) {}

  async authenticate(header: string | undefined, workspace: WorkspaceContext): Promise<Authentication> {
    if (!header) return { kind: 'missing' };
    const token = BEARER.exec(header)?.[1];
    if (!token || token.length > 8192) return { kind: 'invalid', reason: 'the Authorization header must be "Bearer <token>"' };
    const verifier = this.verifiers.find((v) => v.accepts(token));
    const principal = verifier
      ? await inSpan('auth.verify_token', { 'tessera.token_kind': verifier.constructor.name }, async (span) => {
          const verified = await verifier.verify(token, workspace);
          span.setAttribute('tessera.token_valid', verified !== null);
          return verified;
        })
      : null;
    if (!principal) return { kind: 'invalid', reason: 'the access token is invalid, expired, revoked or not for this workspace' };
    return { kind: 'ok', principal };
  }
}
