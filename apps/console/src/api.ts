import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './generated/openapi';

/** Types generated from the tenant API's own OpenAPI document (apps/console/openapi.json) at build time. */
export type Schemas = components['schemas'];

export interface ConsoleSession {
  tenant: { slug: string; name: string };
  user: { email: string; name: string };
  csrfToken: string;
  /** The redirect URI to register at the tenant's IdP ({PUBLIC_URL}/oauth/federation/callback). */
  federationRedirectUri: string;
}

let csrfToken = '';

/** Every state change carries the session's CSRF token; the session cookie itself is HttpOnly. */
const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD'].includes(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

export async function loadSession(): Promise<ConsoleSession | undefined> {
  const response = await fetch('/console/session', { credentials: 'same-origin' });
  if (!response.ok) return undefined;
  const session = (await response.json()) as ConsoleSession;
  csrfToken = session.csrfToken;
  return session;
}

export async function signOut(): Promise<void> {
  await fetch('/console/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken } });
}

/** The API's error body ({code, message}); a validation message names its field first ("name: …"). */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return 'The request failed.';
}

/** Splits "field: message" so the message can be shown next to the field the API named. */
export function fieldError(error: unknown): { field?: string; message: string } {
  const message = errorMessage(error);
  const match = /^([A-Za-z.]+): (.*)$/.exec(message);
  return match ? { field: match[1], message: match[2]! } : { message };
}
