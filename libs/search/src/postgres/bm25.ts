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
 * The plan is fixed by the query's shape rather than left to statistics: PGlite never collects
 * any (it has no autovacuum), nor does a server whose autovacuum has not yet run, and the
 * previous form of this query then took ~29 s on CISI instead of ~30 ms (the planner believed
 * the workspace held one document and re-ran the whole scoring once per document).
 *
 * - Each query term reads its own postings by primary key (the LATERAL subquery holds a window
 *   function, so it is never flattened into a scan of the whole workspace); its document
 *   frequency is counted over those same rows (`count(*) OVER ()`), so postings are read once.
 * - Per posting, BM25F's pseudo-frequency is tfn = wt·tf_t / (1 − b_t + b_t·len_t/avg_t)
 *   + tf_b / (1 − b_b + b_b·len_b/avg_b); with w = query weight × idf × (k1 + 1), the saturated
 *   w·tfn/(tfn + k1) is written w·(1 − k1/(k1 + tfn)) so that w and tfn are each evaluated once
 *   (PostgreSQL does not share common subexpressions). All arithmetic is float8.
 * - The documents table is read only for the best candidates: the $7 highest scores and every
 *   candidate tied with the lowest of them, each looked up by primary key (LATERAL … OFFSET 0 keeps
 *   that a nested loop). When fewer than $6 of those are readable and there were more candidates,
 *   the caller asks again with $7 NULL, so the ACL filter still applies before the limit.
 * - Collection statistics are workspace-wide, so what a reader may not see (another's document, a
 *   quarantined one) never changes the ranking of what they may.
 */
export const SEARCH_SQL = `
WITH st AS MATERIALIZED (
  SELECT GREATEST(doc_count, 1)::float8 AS n,
         ${f8(titleB)} / GREATEST(total_title_length::float8 / GREATEST(doc_count, 1), 1) AS title_b_per_length,
         ${f8(bodyB)} / GREATEST(total_body_length::float8 / GREATEST(doc_count, 1), 1) AS body_b_per_length
    FROM workspace_search_stats WHERE workspace_id = $1
), scored AS MATERIALIZED (
  SELECT p.doc_pk,
         sum(x.w * (1::float8 - ${f8(k1)} / (${f8(k1)}
             + ${f8(titleWeight)} * p.tf_title / (${f8(1 - titleB)} + st.title_b_per_length * p.title_length)
             + p.tf_body / (${f8(1 - bodyB)} + st.body_b_per_length * p.body_length)))) AS score
    FROM st
   CROSS JOIN unnest($2::text[], $3::float8[]) AS q(term, weight)
   CROSS JOIN LATERAL (
     SELECT p.doc_pk, p.tf_title, p.tf_body, p.title_length, p.body_length, count(*) OVER () AS df
       FROM postings p
      WHERE p.workspace_id = $1 AND p.term = q.term
   ) p
   CROSS JOIN LATERAL (
     SELECT q.weight * ln(1 + (st.n - p.df + ${f8(0.5)}) / (p.df + ${f8(0.5)})) * ${f8(k1 + 1)} AS w
   ) x
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
