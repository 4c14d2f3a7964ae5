import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per (term, document) in a workspace: the inverted index that BM25 ranking reads.
 * A query touches only the postings of its own terms; lengths are copied here so that
 * scoring needs no join to the documents table.
 */
@Entity({ name: 'postings' })
export class PostingEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  term!: string;

  @PrimaryColumn({ name: 'doc_pk', type: 'bigint' })
  docPk!: string;

  @Column({ name: 'tf_title', type: 'smallint' })
  tfTitle!: number;

  @Column({ name: 'tf_body', type: 'integer' })
  tfBody!: number;

  @Column({ name: 'title_length', type: 'integer' })
  titleLength!: number;

  @Column({ name: 'body_length', type: 'integer' })
  bodyLength!: number;
}
