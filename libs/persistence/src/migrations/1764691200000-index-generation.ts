import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-workspace index generation, raised by every write that can change what a search returns
 * (upsert, delete, release, drop), in the same transaction as the write. Readers that keep postings
 * in memory compare it with the generation they loaded and reload when it moved.
 */
export class IndexGeneration1764691200000 implements MigrationInterface {
  name = 'IndexGeneration1764691200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workspace_search_stats ADD COLUMN generation bigint NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workspace_search_stats DROP COLUMN generation`);
  }
}
