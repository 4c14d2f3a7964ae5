/**
 * Reproduces the query-shape measurements in docs/opensearch.md: CISI through the OpenSearch adapter
 * and the contract fake, scoring variants of the multi_match (title boost, minimum_should_match).
 *
 *   node -r @swc-node/register libs/search/testing/opensearch-fake/cisi-query-variants.ts [CISI directory]
 *
 * The fake scores with Lucene's per-field BM25 and OpenSearch's best_fields and minimum_should_match
 * rules, over the product's analyzer: compare variants with each other, not with a real cluster.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { loadCisi } from '../../../../test/bench/relevance/cisi';
import { evaluateRun } from '../../../../test/bench/relevance/evaluate';
import { prepareDocument } from '../../src/document-preparation';
import { OpenSearchSearchBackend } from '../../src/opensearch/opensearch-search.backend';
import { searchBody } from '../../src/opensearch/search-query';
import { FakeOpenSearch } from './fake-opensearch';
import { runSearch } from './fake-search';

type MultiMatch = Record<string, unknown>;

const VARIANTS: Record<string, MultiMatch> = {
  'title^1.5, any term (default)': {},
  'title^1.5, msm 10%': { minimum_should_match: '10%' },
  'title^1.5, msm 25%': { minimum_should_match: '25%' },
  'title^1.5, msm 2<-25%': { minimum_should_match: '2<-25%' },
  'title^1, any term': { fields: ['title', 'text', 'text.shingles'] },
  'title^2, any term': { fields: ['title^2', 'text', 'text.shingles'] },
  'title^3, any term': { fields: ['title^3', 'text', 'text.shingles'] },
};

async function main(): Promise<void> {
  const { docs, queries, qrels } = loadCisi(process.argv[2] ?? resolve(__dirname, '../../../../../shared/data/cisi'));
  const fake = await FakeOpenSearch.start();
  const backend = new OpenSearchSearchBackend({ node: fake.url, replicas: 0 });
  try {
    const workspaceId = randomUUID();
    await backend.createWorkspace(workspaceId);
    const prepared = docs.map((d) => prepareDocument({ id: d.id, title: d.title, text: d.text }));
    for (let i = 0; i < prepared.length; i += 100) await backend.upsert(workspaceId, prepared.slice(i, i + 100));
    const indices = fake.cluster.resolve(`tessera-${workspaceId}`);
    const reader = { identifiers: ['reader@example.com'], groups: [] };
    for (const [label, patch] of Object.entries(VARIANTS)) {
      const scores = await evaluateRun(queries, qrels, (query) => {
        const body = searchBody({ query: query.text, reader, limit: 100 }) as { query: { bool: { must: Array<{ multi_match: MultiMatch }> } } };
        Object.assign(body.query.bool.must[0]!.multi_match, patch);
        const result = runSearch(indices, body) as { hits: { hits: Array<{ _source: { id: string } }> } };
        return result.hits.hits.map((hit) => hit._source.id);
      });
      console.log(
        `${label.padEnd(32)} nDCG@10 ${scores.ndcgAt10.toFixed(3)}  MAP@100 ${scores.mapAt100.toFixed(3)}  empty ${scores.emptyResultLists}/${scores.queryCount}`,
      );
    }
  } finally {
    await backend.onApplicationShutdown();
    await fake.close();
  }
}

void main();
