import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { Request } from 'express';
import type { ConsoleSessionRepository, ConsoleSessionRow, TenantAdminRepository, UserRepository } from '@tessera/persistence';
import type { PlatformConfig } from '@tessera/server';
import { ConsoleSessionService, readCookie } from './console-session.service';

/** The cookie and CSRF rules alone; the session store is an in-memory stand-in (e2e tests use PostgreSQL). */
function service(publicUrl: string): ConsoleSessionService {
  const rows = new Map<string, ConsoleSessionRow>();
  const store = { create: async (id: string, row: ConsoleSessionRow) => void rows.set(id, row) } as unknown as ConsoleSessionRepository;
  return new ConsoleSessionService({ publicUrl } as PlatformConfig, store, {} as TenantAdminRepository, {} as UserRepository);
}

const session: ConsoleSessionRow = { tenantId: 't', userId: 'u', csrfToken: 'the-token', accessTokenSealed: null, expiresAt: new Date(Date.now() + 60_000) };
const request = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as Request;

describe('console session cookie and CSRF rules (stand-in session store)', () => {
  it('on https: a __Host- cookie, Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', async () => {
    const cookie = await service('https://tessera.example').create('t', 'u', null);
    assert.match(cookie, /^__Host-tessera_console=[A-Za-z0-9_-]{43}; /);
    for (const flag of ['Path=/', 'HttpOnly', 'SameSite=Lax', 'Secure']) assert.ok(cookie.split('; ').includes(flag), flag);
    assert.doesNotMatch(cookie, /Domain=/i);
  });

  it('on plain http (local development): no Secure flag, so the browser keeps it, and no __Host- prefix', async () => {
    const cookie = await service('http://127.0.0.1:8080').create('t', 'u', null);
    assert.match(cookie, /^tessera_console=/);
    assert.doesNotMatch(cookie, /Secure/);
  });

  it('lets reads through and requires this origin and the session token for every state change', () => {
    const s = service('https://tessera.example');
    const good = { origin: 'https://tessera.example', 'x-csrf-token': 'the-token' };
    assert.doesNotThrow(() => s.requireSameOriginWrite(request('GET', {}), session));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) assert.doesNotThrow(() => s.requireSameOriginWrite(request(method, good), session));
    for (const headers of <Array<Record<string, string>>>[{ ...good, origin: 'https://evil.example' }, { ...good, origin: 'https://tessera.example.evil.example' }, { origin: good.origin }, { 'x-csrf-token': 'the-token' }, { ...good, 'x-csrf-token': 'the-tokem' }]) {
      assert.throws(() => s.requireSameOriginWrite(request('POST', headers), session), /cross-site request refused/);
    }
  });

  it('reads one cookie among many, and nothing from a missing or malformed header', () => {
    assert.equal(readCookie('a=1; tessera_console=abc; b=2', 'tessera_console'), 'abc');
    assert.equal(readCookie('xtessera_console=abc', 'tessera_console'), undefined);
    assert.equal(readCookie(undefined, 'tessera_console'), undefined);
    assert.equal(readCookie('tessera_console=', 'tessera_console'), undefined);
  });
});
