import { Inject, Injectable } from '@nestjs/common';
import type { Principal, WorkspaceContext } from '@tessera/domain';
import { inSpan } from '@tessera/observability';
import { type MaybePromise, whenReady } from '../common/maybe-promise';
import { ACCESS_TOKEN_VERIFIERS, type AccessTokenVerifier } from './access-token-verifier';
import { DirectoryCheck, type CallerDirectory } from './directory-check';

export type Authentication = { kind: 'ok'; principal: Principal } | { kind: 'missing' } | { kind: 'invalid'; reason: string };

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const MISSING: Authentication = { kind: 'missing' };
const MALFORMED: Authentication = { kind: 'invalid', reason: 'the Authorization header must be "Bearer <token>"' };
const REFUSED: Authentication = { kind: 'invalid', reason: 'the access token is invalid, expired, revoked or not for this workspace' };

/** Reads the Authorization header, asks the verifier that understands the token, then the directory. */
@Injectable()
export class BearerAuthenticator {
  constructor(
    @Inject(ACCESS_TOKEN_VERIFIERS) private readonly verifiers: AccessTokenVerifier[],
    @Inject(DirectoryCheck) private readonly directory: CallerDirectory,
  ) {}

  /** At once when the verifier knows the token already; with a promise when it has to look. */
  authenticate(header: string | undefined, workspace: WorkspaceContext): MaybePromise<Authentication> {
    if (!header) return MISSING;
    const token = BEARER.exec(header)?.[1];
    if (!token || token.length > 8192) return MALFORMED;
    const verifier = this.verifiers.find((v) => v.accepts(token));
    if (!verifier) return REFUSED;
    return inSpan('auth.verify_token', { 'tessera.token_kind': verifier.constructor.name }, (span) =>
      whenReady(
        whenReady(verifier.verify(token, workspace), (verified) => (verified ? this.directory.check(verified, workspace) : null)),
        (principal): Authentication => {
          span.setAttribute('tessera.token_valid', principal !== null);
          return principal ? { kind: 'ok', principal } : REFUSED;
        },
      ),
    );
  }
}
