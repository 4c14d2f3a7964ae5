import { renderErrorPage } from '../interaction/pages';

/** Where the authorization server sets its sign-in cookies (the authorization endpoint with its resume step, and logout). */
const COOKIE_ROUTES = /^\/oauth\/(authorize|logout)(\/|$)/;

export const PLAIN_HTTP_SIGN_IN =
  'This sign-in request reached Tessera over plain http, but PUBLIC_URL is https, so its Secure sign-in cookies cannot be set. '
  + 'If a TLS-terminating proxy or load balancer forwards to Tessera, set TRUST_PROXY to its hop count or addresses '
  + '(for example TRUST_PROXY=1, or its CIDR) so that its X-Forwarded-Proto is believed; otherwise connect over https.';

/**
 * Whether a browser route arrived over plain http while the cookies must be Secure (an https PUBLIC_URL):
 * behind a TLS-terminating proxy that TRUST_PROXY does not name, the proxy's X-Forwarded-Proto is dropped,
 * and oidc-provider would fail to set its cookies with a bare 500. Machine endpoints set no cookie and are
 * not refused.
 */
export function isPlainHttpSignIn(secureCookies: boolean, requestIsSecure: boolean, path: string): boolean {
  return secureCookies && !requestIsSecure && COOKIE_ROUTES.test(path);
}

/** The parts of koa's context the answer uses. */
interface AnswerContext {
  status: number;
  type: string;
  body: unknown;
  set(field: string, value: string): void;
  accepts(...types: string[]): string | false;
}

/** Answers the refusal: an error page for a browser, an RFC 6749 error body otherwise. */
export function answerPlainHttpSignIn(ctx: AnswerContext): void {
  ctx.status = 400;
  ctx.set('Cache-Control', 'no-store');
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.body = renderErrorPage('invalid_request', PLAIN_HTTP_SIGN_IN);
  } else {
    ctx.body = { error: 'invalid_request', error_description: PLAIN_HTTP_SIGN_IN };
  }
}
