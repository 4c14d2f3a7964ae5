import type { CisiQuery } from './cisi';

export interface BenchQuery extends CisiQuery {
  /** True when the text had to be shortened to fit the search tool's query limit. */
  readonly shortened: boolean;
}

/**
 * The text both systems are asked: whitespace collapsed (CISI queries are hard-wrapped), and cut at
 * the last word boundary that fits `maxChars` — the MCP `search` tool refuses longer queries, as a
 * client like ChatGPT would have to respect. The reference is asked the very same string.
 */
export function benchQueryText(text: string, maxChars: number): { text: string; shortened: boolean } {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed.length <= maxChars) return { text: collapsed, shortened: false };
  const head = collapsed.slice(0, maxChars + 1);
  const lastSpace = head.lastIndexOf(' ');
  return { text: (lastSpace > 0 ? head.slice(0, lastSpace) : collapsed.slice(0, maxChars)).trimEnd(), shortened: true };
}

export function benchQueries(queries: readonly CisiQuery[], maxChars: number): BenchQuery[] {
  return queries.map((query) => ({ id: query.id, ...benchQueryText(query.text, maxChars) }));
}

/** Nearest-rank percentile (p in 0–100) of a list of numbers; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
