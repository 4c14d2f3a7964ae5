import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { type RawRequestHandler, screenRequestBody } from '@tessera/server';
import { OAUTH_PREFIX } from './oidc-provider.factory';
import { OIDC_PROVIDER } from './oidc-provider.holder';

/** oidc-provider's own limit on request bodies (56 KiB): a larger one would be refused by it anyway. */
const PROVIDER_BODY_LIMIT = 56 * 1024;

/**
 * Hands the authorization server's own routes to oidc-provider. RFC 8414 metadata is served at
 * /.well-known/oauth-authorization-server as well as OIDC discovery; interaction pages go to Nest.
 */
@Injectable()
export class OidcHttpHandler implements RawRequestHandler {
  private readonly callback: (req: IncomingMessage, res: ServerResponse) => void;

  constructor(@Inject(OIDC_PROVIDER) provider: Provider) {
    this.callback = provider.callback() as (req: IncomingMessage, res: ServerResponse) => void;
  }

  tryHandle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    const path = url.split('?')[0]!;
    if (path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration') {
      req.url = url.replace(path, '/.well-known/openid-configuration');
      this.callback(req, res);
      return true;
    }
    // Interaction pages and the federation callback are Nest routes; everything else under /oauth is the provider's.
    if (path.startsWith(`${OAUTH_PREFIX}/`) && !path.startsWith(`${OAUTH_PREFIX}/interaction/`) && !path.startsWith(`${OAUTH_PREFIX}/federation/`)) {
      // The provider reads bodies itself: hostile input in them is refused first (the request target already was).
      screenRequestBody(req, res, 'oauth', PROVIDER_BODY_LIMIT, (screened) => this.callback(screened, res));
      return true;
    }
    return false;
  }
}
