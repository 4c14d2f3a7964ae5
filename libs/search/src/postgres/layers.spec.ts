import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/**
 * The PostgreSQL backend in layers, imports running one way: the backend and its searches over the
 * cache, the cache over the pure scorer; the change feed, the storage format and the writers beside.
 * A file may import its own layer and the layers below it, never one above.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  // 0. The pure scorer: postings in, ranked ids out; no I/O, no cache.
  ['bm25.ts', 'scorer.ts', 'score-accumulation.ts'],
  // 1. The per-generation cache of what the scorer needs, within a byte budget.
  ['generation-view.ts', 'postings-cache.ts'],
  // 2. Searches: reading the index, ranking windows, the cached and the uncached path.
  ['index-reads.ts', 'ranking.ts', 'cached-search.ts', 'snapshot-search.ts'],
  // 3. The backend.
  ['postgres-search.backend.ts'],
];
/** Beside the layers: each imports none of the layered files but the listed ones (types only where said). */
const BESIDE: Readonly<Record<string, readonly string[]>> = {
  'index-change-feed.ts': [],
  'posting-record.ts': [],
  'postings.ts': [],
  'postings-writer.ts': [],
  'index-locks.ts': [],
  'concurrency-limit.ts': [],
};
/** The cache knows the feed only as the type of what it asks (IndexChangeSource); reads decode postings. */
const ALLOWED_BESIDE: Readonly<Record<string, readonly string[]>> = {
  'postings-cache.ts': ['index-change-feed.ts'],
  'index-reads.ts': ['postings.ts'],
  'postgres-search.backend.ts': ['index-change-feed.ts', 'index-locks.ts', 'postings.ts', 'postings-writer.ts', 'concurrency-limit.ts'],
};

function localImports(file: string): string[] {
  const source = readFileSync(`${__dirname}/${file}`, 'utf8');
  return [...source.matchAll(/^(?:import|export)[^;]*?from '\.\/([\w-]+)';/gms)].map((m) => `${m[1]}.ts`);
}

describe('libs/search/src/postgres layers', () => {
  it('places every file in a layer or beside them', () => {
    const placed = new Set([...LAYERS.flat(), ...Object.keys(BESIDE)]);
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    expect(files.filter((f) => !placed.has(f))).toStrictEqual([]); // a new file says where it belongs
  });

  it('imports only its own layer and those below, and of the files beside only what is listed', () => {
    const layerOf = new Map(LAYERS.flatMap((files, layer) => files.map((f) => [f, layer] as const)));
    for (const [file, layer] of layerOf) {
      for (const imported of localImports(file)) {
        const importedLayer = layerOf.get(imported);
        if (importedLayer === undefined) assert.ok((ALLOWED_BESIDE[file] ?? []).includes(imported), `${file} imports ${imported}`);
        else assert.ok(importedLayer <= layer, `${file} (layer ${layer}) imports ${imported} (layer ${importedLayer}): up, not down`);
      }
    }
    for (const [file, allowed] of Object.entries(BESIDE)) {
      for (const imported of localImports(file)) {
        assert.ok(!layerOf.has(imported) && (imported in BESIDE || allowed.includes(imported)), `${file} imports ${imported}`);
      }
    }
  });
});
