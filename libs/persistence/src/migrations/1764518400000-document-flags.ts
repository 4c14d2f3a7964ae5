import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ingestion hygiene: instruction-like text is flagged, and a workspace may quarantine flagged documents. */
export class DocumentFlags1764518400000 implements MigrationInterface {
  name = 'DocumentFlags1764518400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE documents ADD COLUMN flags text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE documents ADD COLUMN quarantined boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX documents_quarantined_idx ON documents (workspace_id, external_id) WHERE quarantined`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS documents_quarantined_idx`);
    await q.query(`ALTER TABLE documents DROP COLUMN quarantined`);
    await q.query(`ALTER TABLE documents DROP COLUMN flags`);
  }
}
