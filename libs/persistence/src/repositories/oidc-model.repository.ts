import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from './query-rows';

export interface OidcModelRow {
  payload: Record<string, unknown>;
  consumed_at: Date | null;
}

/**
 * oidc-provider's storage (codes, tokens, sessions, grants, interactions, registered clients), one
 * table for every kind so that any replica can serve any step of a flow. Expired rows read as absent.
 */
@Injectable()
export class OidcModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(kind: string, id: string, payload: Record<string, unknown>, expiresInSeconds?: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO oidc_models (kind, id, payload, grant_id, user_code, uid, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
       ON CONFLICT (kind, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
         user_code = EXCLUDED.user_code, uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at`,
      [kind, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresInSeconds ?? null],
    );
  }

  async find(kind: string, id: string): Promise<OidcModelRow | undefined> {
    return this.findWhere(kind, 'id = $2', id);
  }

  async findByUid(kind: string, uid: string): Promise<OidcModelRow | undefined> {
    return this.findWhere(kind, 'uid = $2', uid);
  }

  async findByUserCode(kind: string, userCode: string): Promise<OidcModelRow | undefined> {
    return this.findWhere(kind, 'user_code = $2', userCode);
  }

  async consume(kind: string, id: string): Promise<void> {
    await this.dataSource.query(`UPDATE oidc_models SET consumed_at = now() WHERE kind = $1 AND id = $2`, [kind, id]);
  }

  async destroy(kind: string, id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM oidc_models WHERE kind = $1 AND id = $2`, [kind, id]);
  }

  /** Revokes everything issued under a grant, whatever its kind (codes, tokens, the grant itself). */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM oidc_models WHERE grant_id = $1 OR (kind = 'Grant' AND id = $1)`, [grantId]);
  }

  /**
   * Deletes a registered client with every grant made to it and everything issued under them (codes,
   * refresh tokens), in one transaction; returns the grants, for the caches that hold them.
   */
  async deleteClient(clientId: string): Promise<string[]> {
    return this.dataSource.transaction(async (em) => {
      const grants: Array<{ id: string }> = await em.query(`SELECT id FROM oidc_models WHERE kind = 'Grant' AND payload->>'clientId' = $1`, [clientId]);
      const grantIds = grants.map((g) => g.id);
      await em.query(
        `DELETE FROM oidc_models WHERE grant_id = ANY($1::text[]) OR (kind = 'Grant' AND id = ANY($1::text[])) OR (kind = 'Client' AND id = $2)`,
        [grantIds, clientId],
      );
      return grantIds;
    });
  }

  /**
   * Ends a grant's consent for one resource (a connector URL): narrowGrants when the grant covers other
   * resources too, else the whole grant with everything issued under it. Returns which it was.
   */
  async withdrawResource(grantId: string, resource: string): Promise<'narrowed' | 'revoked'> {
    return this.dataSource.transaction(async (em) => {
      if ((await narrowGrants(em, [grantId], resource)).length > 0) return 'narrowed';
      await em.query(`DELETE FROM oidc_models WHERE grant_id = $1 OR (kind = 'Grant' AND id = $1)`, [grantId]);
      return 'revoked';
    });
  }

  /**
   * Whether a grant still stands for this resource (a connector URL): the gateway's check that a JWT's
   * authorization was neither revoked nor narrowed to other workspaces (narrowGrants).
   */
  async grantCovers(grantId: string, resource: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM oidc_models WHERE kind = 'Grant' AND id = $1 AND (expires_at IS NULL OR expires_at > now())
          AND jsonb_exists(payload->'resources', $2::text)`,
      [grantId, resource],
    );
    return rows.length > 0;
  }

  /** The remembered consent of one user for one client, if any. */
  async findGrantId(accountId: string, clientId: string): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM oidc_models
        WHERE kind = 'Grant' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2
          AND (expires_at IS NULL OR expires_at > now())
        ORDER BY expires_at DESC NULLS FIRST LIMIT 1`,
      [accountId, clientId],
    );
    return rows[0]?.id;
  }

  /** Every remembered consent of a user (the tenant API lists and revokes them). */
  async listGrants(accountId: string): Promise<Array<{ id: string; payload: Record<string, unknown> }>> {
    return this.dataSource.query(
      `SELECT id, payload FROM oidc_models
        WHERE kind = 'Grant' AND payload->>'accountId' = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [accountId],
    );
  }

  async listClientsBySoftwareId(softwareId: string): Promise<Array<Record<string, unknown>>> {
    const rows: Array<{ payload: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT payload FROM oidc_models WHERE kind = 'Client' AND payload->>'software_id' = $1 ORDER BY id`,
      [softwareId],
    );
    return rows.map((r) => r.payload);
  }

  async deleteExpired(): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM oidc_models WHERE expires_at < now() - interval '1 hour'`);
    return count;
  }

  /**
   * Sets `field` of a live row's payload to `value` if it has none yet, in one statement, and returns the
   * payload so written; undefined when the row is gone or the field was already set (by this call's
   * loser in a race, a single-use ticket's second use).
   */
  async claimOnce(kind: string, id: string, field: string, value: string): Promise<Record<string, unknown> | undefined> {
    const rows = rowsOf<{ payload: Record<string, unknown> }>(await this.dataSource.query(
      `UPDATE oidc_models SET payload = payload || jsonb_build_object($3::text, $4::text)
        WHERE kind = $1 AND id = $2 AND payload->>$3::text IS NULL AND (expires_at IS NULL OR expires_at > now())
        RETURNING payload`,
      [kind, id, field, value],
    ));
    return rows[0]?.payload;
  }

  private async findWhere(kind: string, predicate: string, value: string): Promise<OidcModelRow | undefined> {
    const rows: OidcModelRow[] = await this.dataSource.query(
      `SELECT payload, consumed_at FROM oidc_models
        WHERE kind = $1 AND ${predicate} AND (expires_at IS NULL OR expires_at > now())`,
      [kind, value],
    );
    return rows[0];
  }
}

/**
 * Takes one resource (a connector URL) out of those of these grants that cover other resources too (one
 * grant per person and client holds every workspace they consented to through it): each keeps its other
 * resources and what was issued for them, and loses this resource's scopes with the codes and refresh
 * tokens issued for it (one that names no resource cannot be told apart, so it goes too). Returns the
 * grants so narrowed; the others are the caller's to revoke whole.
 */
export async function narrowGrants(em: EntityManager, grantIds: readonly string[], resource: string): Promise<string[]> {
  if (grantIds.length === 0) return [];
  const narrowed = rowsOf<{ id: string }>(await em.query(
    `UPDATE oidc_models SET payload = jsonb_set(payload, '{resources}', (payload->'resources') - $2::text)
      WHERE kind = 'Grant' AND id = ANY($1::text[]) AND jsonb_exists(payload->'resources', $2::text)
        AND EXISTS (SELECT 1 FROM jsonb_object_keys(payload->'resources') AS other WHERE other <> $2::text)
      RETURNING id`,
    [grantIds, resource],
  )).map((row) => row.id);
  await em.query(
    `DELETE FROM oidc_models WHERE grant_id = ANY($1::text[]) AND kind <> 'Grant'
        AND (payload->'resource' IS NULL OR jsonb_exists(payload->'resource', $2::text))`,
    [narrowed, resource],
  );
  return narrowed;
}
