/**
 * Reproduces the query-shape figures in docs/opensearch.md on a real OpenSearch node: CISI indexed
 * with the product's index definition, ranked by variants of the query, scored like bench:relevance.
 *
 *   npm run opensearch   # in another terminal, or set OPENSEARCH_URL
 *   node -r @swc-node/register test/bench/relevance/opensearch-query-variants.ts [CISI directory]
 *
 * Creates and deletes one scratch index (tessera-query-variants-<random>); no ACL, no platform.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { indexDefinition, TITLE_AND_TEXT_FIELD } from '../../../libs/search/src/opensearch/index-definition';
import { loadCisi } from './cisi';
import { evaluateRun } from './evaluate';

const node = (process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200').replace(/\/+$/, '');
type Query = Record<string, unknown>;

const VARIANTS: Record<string, (text: string) => Query> = {
  'title_and_text alone (textbook BM25)': (q) => ({ match: { [TITLE_AND_TEXT_FIELD]: q } }),
  'most_fields title_and_text, title^0.1': (q) => ({ multi_match: { query: q, type: 'most_fields', fields: [TITLE_AND_TEXT_FIELD, 'title^0.1'] } }),
  'most_fields title_and_text, title^0.2 (product)': (q) => ({ multi_match: { query: q, type: 'most_fields', fields: [TITLE_AND_TEXT_FIELD, 'title^0.2'] } }),
  'most_fields title_and_text, title^0.5': (q) => ({ multi_match: { query: q, type: 'most_fields', fields: [TITLE_AND_TEXT_FIELD, 'title^0.5'] } }),
  'best_fields title^1.5, text, tie 0.3 (v1 shape)': (q) => ({ multi_match: { query: q, type: 'best_fields', tie_breaker: 0.3, fields: ['title^1.5', 'text'] } }),
};

async function call(method: string, path: string, body?: string | object, contentType = 'application/json'): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(node + path, { method, headers: { 'content-type': contentType }, body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body) });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

async function main(): Promise<void> {
  const { docs, queries, qrels } = loadCisi(resolve(process.argv[2] ?? resolve(__dirname, '../../../../shared/data/cisi')));
  const index = `tessera-query-variants-${randomBytes(4).toString('hex')}`;
  await call('PUT', `/${index}`, indexDefinition({ replicas: 0 }));
  try {
    const lines = docs.flatMap((d) => [JSON.stringify({ index: { _id: d.id } }), JSON.stringify({ id: d.id, title: d.title, text: d.text })]);
    await call('POST', `/${index}/_bulk?refresh=true`, `${lines.join('\n')}\n`, 'application/x-ndjson');
    console.log(`${'variant'.padEnd(52)} nDCG@10  MAP@100`);
    for (const [name, query] of Object.entries(VARIANTS)) {
      const scores = await evaluateRun(queries, qrels, async (q) => {
        const answer = await call('POST', `/${index}/_search`, { size: 100, _source: false, query: query(q.text) });
        return (answer.hits.hits as Array<{ _id: string }>).map((hit) => hit._id);
      });
      console.log(`${name.padEnd(52)} ${scores.ndcgAt10.toFixed(4)}   ${scores.mapAt100.toFixed(4)}`);
    }
  } finally {
    await call('DELETE', `/${index}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
