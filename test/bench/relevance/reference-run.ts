/**
 * Reference relevance run on CISI: textbook Okapi BM25 with the product's own
 * analyzer, scored like the product benchmark scores the MCP `search` tool.
 *
 *   node -r @swc-node/register test/bench/relevance/reference-run.ts [cisi-dir] [--variants]
 *
 * --variants adds BM25F runs with the title scored as its own field.
 */
import { resolve } from 'node:path';
import { analyze } from '../../../libs/search/src/analysis';
import { Bm25fIndex } from './bm25f';
import { loadCisi } from './cisi';
import { evaluateRun, formatScores, SCORES_HEADER } from './evaluate';
import { OkapiBm25Index } from './okapi-bm25';

// The collection ships beside the repository (see its README.md).
const DEFAULT_CISI_DIRECTORY = resolve(__dirname, '../../../../shared/data/cisi');

async function main(): Promise<void> {
  const argumentsGiven = process.argv.slice(2);
  const directory = argumentsGiven.find((argument) => !argument.startsWith('--')) ?? DEFAULT_CISI_DIRECTORY;
  const { docs, queries, qrels } = loadCisi(directory);
  console.log(`CISI: ${docs.length} documents, ${queries.length} judged queries\n`);
  console.log(SCORES_HEADER);

  const singleField = OkapiBm25Index.build(docs.map((doc) => ({ id: doc.id, text: `${doc.title}\n${doc.text}` })), analyze);
  const reference = await evaluateRun(queries, qrels, (query) => singleField.search(query.text, 1000));
  console.log(formatScores('Okapi BM25 title+abstract (k1 1.2, b 0.75)', reference));

  if (!argumentsGiven.includes('--variants')) return;
  const fieldDocs = docs.map((doc) => ({ id: doc.id, fields: { title: doc.title, abstract: doc.text } }));
  const variants = [
    { title: { weight: 1, b: 0.75 }, abstract: { weight: 1, b: 0.75 } },
    { title: { weight: 2, b: 0.75 }, abstract: { weight: 1, b: 0.75 } },
    { title: { weight: 3, b: 0.75 }, abstract: { weight: 1, b: 0.75 } },
    { title: { weight: 2, b: 0.5 }, abstract: { weight: 1, b: 0.75 } },
    { title: { weight: 3, b: 0.3 }, abstract: { weight: 1, b: 0.75 } },
  ];
  for (const weighting of variants) {
    const index = new Bm25fIndex(fieldDocs, analyze, weighting);
    const scores = await evaluateRun(queries, qrels, (query) => index.search(query.text, 1000));
    const label = `BM25F title w${weighting.title.weight} b${weighting.title.b}, abstract b${weighting.abstract.b}`;
    console.log(formatScores(label, scores));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
