import type { WeightedTerm } from '../analysis';
import type { ReaderFilter } from '../search-backend.port';

/**
 * BM25F over the postings table: title and body are separate fields, each length-normalized
 * against its own average, the title weighted above the body, then saturated once (k1).
 *
 * Chosen on CISI (npm run bench:relevance; test/bench/relevance/reference-run.ts --variants): the
 * textbook k1 and b for each field, and a title occurrence worth two body occurrences. On CISI the
 * title weight and the field b values move nDCG@10 by less than one standard error (±0.005 over
 * 76 queries) in either direction; the title is weighted because short, descriptive titles are
 * what knowledge-base documents have, and the contract suite expects a title match to lead.
 */
export const BM25F = {
  k1: 1.2,
  titleWeight: 2.0,
  titleB: 0.75,
  bodyB: 0.75,
} as const;

const { k1, titleWeight, titleB, bodyB } = BM25F;

/** A float8 literal: numeric literals would make PostgreSQL compute every posting in slow `numeric`. */
const f8 = (value: number): string => `${value}::float8`;

/**
 * $1 workspace id, $2 terms, $3 query-term weights, $4 reader identifiers, $5 reader groups,
 * $6 limit, $7 candidate window (NULL: every matching document).
 *
 * - Only the postings of the query's terms are read, once (`p`); document frequency is counted
 *   from those same rows, and each term's idf × query weight × (k1 + 1) is computed once (`w`).
 * - Per posting, BM25F's pseudo-frequency is tfn = wt·tf_t / (1 − b_t + b_t·len_t/avg_t)
 *   + tf_b / (1 − b_b + b_b·len_b/avg_b), and its saturated score w·tfn/(tfn + k1) is written as
 *   w − w·k1/(k1 + tfn) so that tfn is evaluated once; all arithmetic is float8.
 * - The documents table is read only for the best candidates: the `$7` highest scores and every
 *   candidate tied with the lowest of them, each looked up by primary key (the LATERAL … OFFSET 0
 *   keeps that a nested loop whatever the planner's statistics say — PGlite never collects any,
 *   and a planner that believes the workspace holds one document would otherwise rescan the
 *   whole scoring per document). When fewer than $6 of those are readable, the caller asks again
 *   with $7 NULL, so the ACL filter still applies before the limit.
 * - Collection statistics are workspace-wide, so what a reader may not see (another's document, a
 *   quarantined one) never changes the ranking of what they may.
 */
export const SEARCH_SQL = `
WITH st AS MATERIALIZED (
  SELECT GREATEST(doc_count, 1)::float8 AS n,
         ${f8(titleB)} / GREATEST(total_title_length::float8 / GREATEST(doc_count, 1), 1) AS title_b_per_length,
         ${f8(bodyB)} / GREATEST(total_body_length::float8 / GREATEST(doc_count, 1), 1) AS body_b_per_length
    FROM workspace_search_stats WHERE workspace_id = $1
), p AS MATERIALIZED (
  SELECT p.doc_pk, p.term, p.tf_title, p.tf_body, p.title_length, p.body_length
    FROM unnest($2::text[]) AS t(term)
   CROSS JOIN LATERAL (
     SELECT p.doc_pk, p.term, p.tf_title, p.tf_body, p.title_length, p.body_length
       FROM postings p
      WHERE p.workspace_id = $1 AND p.term = t.term
     OFFSET 0
   ) p
), w AS MATERIALIZED (
  SELECT q.term, q.weight * ln(1 + (st.n - df.df + ${f8(0.5)}) / (df.df + ${f8(0.5)})) * ${f8(k1 + 1)} AS w
    FROM (SELECT term, count(*)::float8 AS df FROM p GROUP BY term) df
    JOIN unnest($2::text[], $3::float8[]) AS q(term, weight) ON q.term = df.term
   CROSS JOIN st
), scored AS MATERIALIZED (
  SELECT p.doc_pk,
         sum(w.w - w.w * ${f8(k1)} / (${f8(k1)}
             + ${f8(titleWeight)} * p.tf_title / (${f8(1 - titleB)} + st.title_b_per_length * p.title_length)
             + p.tf_body / (${f8(1 - bodyB)} + st.body_b_per_length * p.body_length))) AS score
    FROM p JOIN w ON w.term = p.term CROSS JOIN st
   GROUP BY p.doc_pk
), cut AS (
  SELECT min(score) AS score FROM (SELECT score FROM scored ORDER BY score DESC LIMIT $7::bigint) best
)
SELECT d.external_id AS id, d.title, d.url, s.score, (SELECT count(*) FROM scored) AS candidates
  FROM scored s
  JOIN cut ON s.score >= cut.score
 CROSS JOIN LATERAL (
   SELECT d.external_id, d.title, d.url
     FROM documents d
    WHERE d.pk = s.doc_pk AND d.workspace_id = $1 AND NOT d.quarantined
      AND ((cardinality(d.acl_users) = 0 AND cardinality(d.acl_groups) = 0)
           OR d.acl_users && $4::text[] OR d.acl_groups && $5::text[])
   OFFSET 0
 ) d
 ORDER BY s.score DESC, d.external_id ASC
 LIMIT $6`;

/** How many of the best-scoring candidates the first attempt checks against the ACL. */
export function candidateWindow(limit: number): number {
  return Math.max(4 * limit, 40);
}

export function searchParameters(
  workspaceId: string,
  terms: readonly WeightedTerm[],
  reader: ReaderFilter,
  limit: number,
  window: number | null,
): unknown[] {
  return [
    workspaceId,
    terms.map((t) => t.term),
    terms.map((t) => t.weight),
    reader.identifiers,
    reader.groups,
    limit,
    window,
  ];
}
