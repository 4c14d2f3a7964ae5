/**
 * BM25F over the postings table: title and body are separate fields, each length-normalized
 * against its own average, the title weighted above the body, then saturated once (k1).
 * Parameters were chosen on the CISI collection (npm run bench:relevance).
 */
export const BM25F = {
  k1: 1.2,
  titleWeight: 2.0,
  titleB: 0.5,
  bodyB: 0.75,
} as const;

/**
 * $1 workspace id, $2 terms, $3 query-term weights, $4 reader identifiers, $5 reader groups, $6 limit.
 * Only the postings of the query's terms are read; document frequency is counted from those same rows.
 * The ACL filter applies before the limit, and collection statistics are workspace-wide, so what a
 * reader may not see never changes the ranking of what they may.
 */
const { k1, titleWeight, titleB, bodyB } = BM25F;

export const SEARCH_SQL = `
WITH q AS (
  SELECT t.term, t.weight FROM unnest($2::text[], $3::float8[]) AS t(term, weight)
), st AS (
  SELECT GREATEST(doc_count, 1)::float8 AS n,
         GREATEST(total_title_length::float8 / GREATEST(doc_count, 1), 1) AS avg_tl,
         GREATEST(total_body_length::float8 / GREATEST(doc_count, 1), 1) AS avg_bl
    FROM workspace_search_stats WHERE workspace_id = $1
), p AS (
  SELECT p.doc_pk, p.term, p.tf_title, p.tf_body, p.title_length, p.body_length,
         count(*) OVER (PARTITION BY p.term) AS df
    FROM postings p
   WHERE p.workspace_id = $1 AND p.term = ANY($2::text[])
), scored AS (
  SELECT p.doc_pk,
         sum(q.weight * ln(1 + (st.n - p.df + 0.5) / (p.df + 0.5))
             * f.tfn * ${k1 + 1} / (f.tfn + ${k1})) AS score
    FROM p JOIN q ON q.term = p.term CROSS JOIN st
   CROSS JOIN LATERAL (
     SELECT ${titleWeight} * p.tf_title / (1 - ${titleB} + ${titleB} * p.title_length / st.avg_tl)
          + p.tf_body / (1 - ${bodyB} + ${bodyB} * p.body_length / st.avg_bl) AS tfn
   ) f
   GROUP BY p.doc_pk
)
SELECT d.external_id AS id, d.title, d.url, s.score
  FROM scored s JOIN documents d ON d.pk = s.doc_pk
 WHERE d.workspace_id = $1
   AND ((cardinality(d.acl_users) = 0 AND cardinality(d.acl_groups) = 0)
        OR d.acl_users && $4::text[] OR d.acl_groups && $5::text[])
 ORDER BY s.score DESC, d.external_id ASC
 LIMIT $6`;
