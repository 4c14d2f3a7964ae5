import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { randomBytes } from 'node:crypto';
import { ConsoleSessionRepository, ConsoleSessionRow, TenantAdminRepository, UserEntity, UserRepository } from '@tessera/persistence';
import { constantTimeEquals, hashSecret, PLATFORM_CONFIG, type PlatformConfig } from '@tessera/server';
import type { Actor } from './actor';

const SESSION_TTL_MS = 8 * 3600_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

export interface LiveConsoleSession {
  readonly session: ConsoleSessionRow;
  readonly user: UserEntity;
}

/**
 * The admin console's server-side sessions (backend-for-frontend): the browser holds an opaque id in an
 * HttpOnly cookie; every request re-checks that the user is still the tenant's admin, and every state
 * change must come from this origin and carry the session's CSRF token (double submit by header).
 */
@Injectable()
export class ConsoleSessionService {
  readonly cookieName: string;
  private readonly secure: boolean;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    private readonly sessions: ConsoleSessionRepository,
    private readonly admins: TenantAdminRepository,
    private readonly users: UserRepository,
  ) {
    this.secure = platform.publicUrl.startsWith('https://');
    this.cookieName = this.secure ? '__Host-tessera_console' : 'tessera_console';
  }

  /** Starts a session; returns the Set-Cookie value. */
  async create(tenantId: string, userId: string, accessTokenSealed: string | null): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.sessions.create(hashSecret(id), { tenantId, userId, csrfToken: randomBytes(32).toString('base64url'), accessTokenSealed, expiresAt });
    return this.cookie(id, SESSION_TTL_MS / 1000);
  }

  /** The caller's live session, if its user is still an active admin of its tenant (otherwise it ends here). */
  async current(req: Request): Promise<LiveConsoleSession | undefined> {
    const id = readCookie(req.headers.cookie, this.cookieName);
    if (!id) return undefined;
    const session = await this.sessions.find(hashSecret(id));
    if (!session) return undefined;
    const user = await this.users.findById(session.userId);
    if (!user || !user.active || user.tenantId !== session.tenantId || !(await this.admins.isAdmin(session.tenantId, user.email))) {
      await this.sessions.delete(hashSecret(id));
      return undefined;
    }
    return { session, user };
  }

  /**
   * The /v1 actor of a console request, or undefined when it carries no live session. A state change
   * without this origin's Origin header or without the session's CSRF token is refused (403).
   */
  async actorFor(req: Request): Promise<Actor | undefined> {
    const live = await this.current(req);
    if (!live) return undefined;
    this.requireSameOriginWrite(req, live.session);
    return { kind: 'tenant', tenantId: live.session.tenantId, adminUserId: live.user.id };
  }

  requireSameOriginWrite(req: Request, session: ConsoleSessionRow): void {
    if (SAFE_METHODS.has(req.method)) return;
    const origin = req.headers.origin;
    const token = req.headers[CSRF_HEADER];
    if (origin !== new URL(this.platform.publicUrl).origin || typeof token !== 'string' || !constantTimeEquals(token, session.csrfToken)) {
      throw new ForbiddenException({ code: 'forbidden', message: 'cross-site request refused: send the console CSRF token from the console origin' });
    }
  }

  /** Ends the caller's session; returns it (to revoke its tokens) and the cookie that clears it. */
  async end(req: Request): Promise<{ ended: ConsoleSessionRow | null; clearCookie: string }> {
    const id = readCookie(req.headers.cookie, this.cookieName);
    const ended = id ? await this.sessions.delete(hashSecret(id)) : null;
    return { ended, clearCookie: this.cookie('', 0) };
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    return `${this.cookieName}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${this.secure ? '; Secure' : ''}`;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim() || undefined;
  }
  return undefined;
}
