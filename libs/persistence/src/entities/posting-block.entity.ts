import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One term's postings from one write in a workspace: the inverted index that BM25 ranking reads.
 * `postings` holds a fixed-width record per document of the write that has the term (see
 * libs/search postings.ts); lengths are copied into it so that scoring needs no join to documents.
 */
@Entity({ name: 'posting_blocks' })
export class PostingBlockEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  term!: string;

  @PrimaryColumn({ type: 'bigint' })
  block!: string;

  @Column({ type: 'bytea' })
  postings!: Buffer;
}
