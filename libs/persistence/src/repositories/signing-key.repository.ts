import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  private_jwk: Record<string, unknown>;
  created_at: Date;
  retired_at: Date | null;
}

/** The authorization server's signing keys. Private keys never leave the database and the auth app. */
@Injectable()
export class SigningKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keys that still verify tokens: the active one first (newest), then retired keys still in their grace period. */
  listPublishable(retiredGraceSeconds: number): Promise<SigningKeyRow[]> {
    return this.dataSource.query(
      `SELECT * FROM oidc_signing_keys
        WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1::int)
        ORDER BY (retired_at IS NULL) DESC, created_at DESC`,
      [retiredGraceSeconds],
    );
  }

  async insert(kid: string, alg: string, privateJwk: Record<string, unknown>): Promise<void> {
    await this.dataSource.query(`INSERT INTO oidc_signing_keys (kid, alg, private_jwk) VALUES ($1, $2, $3)`, [
      kid,
      alg,
      JSON.stringify(privateJwk),
    ]);
  }

  /** Makes `kid` the only active key; the others stay published until their grace period ends. */
  async retireAllBut(kid: string): Promise<void> {
    await this.dataSource.query(`UPDATE oidc_signing_keys SET retired_at = now() WHERE kid <> $1 AND retired_at IS NULL`, [kid]);
  }
}
