import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ConsoleSessionRow {
  readonly tenantId: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly accessTokenSealed: string | null;
  readonly expiresAt: Date;
}

/** The admin console's sessions, keyed by the SHA-256 of the cookie's opaque value. */
@Injectable()
export class ConsoleSessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(idHash: string, session: ConsoleSessionRow): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO console_sessions (id_hash, tenant_id, user_id, csrf_token, access_token_sealed, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [idHash, session.tenantId, session.userId, session.csrfToken, session.accessTokenSealed, session.expiresAt],
    );
  }

  /** A live session, or null when unknown or expired (expired rows are removed on the way). */
  async find(idHash: string): Promise<ConsoleSessionRow | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(`SELECT * FROM console_sessions WHERE id_hash = $1`, [idHash]);
    const row = rows[0];
    if (!row) return null;
    const expiresAt = new Date(row.expires_at as string);
    if (expiresAt.getTime() <= Date.now()) {
      await this.delete(idHash);
      return null;
    }
    return {
      tenantId: row.tenant_id as string,
      userId: row.user_id as string,
      csrfToken: row.csrf_token as string,
      accessTokenSealed: (row.access_token_sealed as string | null) ?? null,
      expiresAt,
    };
  }

  /** Returns the deleted session, so its tokens can be revoked at the authorization server. */
  async delete(idHash: string): Promise<ConsoleSessionRow | null> {
    // TypeORM answers a DELETE … RETURNING with [rows, count].
    const [rows]: [Array<Record<string, unknown>>, number] = await this.dataSource.query(
      `DELETE FROM console_sessions WHERE id_hash = $1 RETURNING tenant_id, user_id, csrf_token, access_token_sealed, expires_at`,
      [idHash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      tenantId: row.tenant_id as string,
      userId: row.user_id as string,
      csrfToken: row.csrf_token as string,
      accessTokenSealed: (row.access_token_sealed as string | null) ?? null,
      expiresAt: new Date(row.expires_at as string),
    };
  }
}
