import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { TestBrowser } from './oauth-browser';

/** The steps of an OAuth client (as ChatGPT runs them), by hand, for tests that need to vary one. */
export const TEST_REDIRECT = 'http://127.0.0.1:7777/callback';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function registerClient(baseUrl: string, redirectUris = [TEST_REDIRECT]): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Raw client', redirect_uris: redirectUris, token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export function authorizeUrl(baseUrl: string, clientId: string, challenge: string, resource: string | undefined, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: TEST_REDIRECT, scope: 'search fetch offline_access', code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz', ...extra });
  if (resource) params.set('resource', resource);
  return `${baseUrl}/oauth/authorize?${params}`;
}

export async function tokenRequest(baseUrl: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${baseUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** Registers a client and runs a whole authorization as `who`; returns the code exchange's answer. */
export async function codeFlow(baseUrl: string, resource: string, who: { email: string; password: string }) {
  const client = await registerClient(baseUrl);
  const clientId = String(client.body.client_id);
  const { verifier, challenge } = pkce();
  const step = await new TestBrowser().authorize(authorizeUrl(baseUrl, clientId, challenge, resource), TEST_REDIRECT, who);
  const code = step.final.searchParams.get('code');
  assert.ok(code, `no code: ${step.final.href} ${step.page?.slice(0, 300)}`);
  const exchanged = await tokenRequest(baseUrl, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT, client_id: clientId, code_verifier: verifier });
  return { clientId, code, verifier, exchanged };
}
