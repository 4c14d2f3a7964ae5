import { analyze } from '../../src/analysis';
import { badRequest } from './fake-errors';

/**
 * Text analysis in the fake. It does not reimplement Lucene's analyzers: every analyzer becomes the
 * product's own analyzer (stop words, Porter stemming, dictionary segmentation of CJK), and an
 * analyzer whose filter chain has a `shingle` filter yields pairs of adjacent terms instead. What
 * it does check, as OpenSearch does, is that every analyzer and filter named exists.
 */
export type FieldAnalyzer = (text: string) => string[];

const BUILT_IN_ANALYZERS = new Set(['standard', 'simple', 'whitespace', 'english', 'keyword', 'stop']);
const BUILT_IN_FILTERS = new Set([
  'lowercase', 'uppercase', 'asciifolding', 'cjk_width', 'cjk_bigram', 'porter_stem', 'kstem', 'stop', 'trim',
  'unique', 'decimal_digit', 'elision', 'classic', 'apostrophe', 'word_delimiter_graph', 'shingle',
]);
const BUILT_IN_TOKENIZERS = new Set(['standard', 'whitespace', 'keyword', 'letter', 'classic', 'icu_tokenizer']);

export interface AnalysisSettings {
  readonly analyzer?: Record<string, { type?: string; tokenizer?: string; filter?: string[] }>;
  readonly filter?: Record<string, { type?: string }>;
  readonly normalizer?: Record<string, { type?: string; filter?: string[] }>;
}

/** Throws OpenSearch's 400 for an analysis section that names what it does not define. */
export function validateAnalysis(analysis: AnalysisSettings | undefined): void {
  for (const [name, analyzer] of Object.entries(analysis?.analyzer ?? {})) {
    if (analyzer.type !== undefined && analyzer.type !== 'custom' && !BUILT_IN_ANALYZERS.has(analyzer.type)) {
      throw badRequest(`Unknown analyzer type [${analyzer.type}] for [${name}]`, 'illegal_argument_exception');
    }
    if (analyzer.type === 'custom' && !BUILT_IN_TOKENIZERS.has(analyzer.tokenizer ?? '')) {
      throw badRequest(`failed to find tokenizer under name [${analyzer.tokenizer}]`, 'illegal_argument_exception');
    }
    for (const filter of analyzer.filter ?? []) checkFilter(analysis, name, filter);
  }
  for (const [name, normalizer] of Object.entries(analysis?.normalizer ?? {})) {
    for (const filter of normalizer.filter ?? []) checkFilter(analysis, name, filter);
  }
}

function checkFilter(analysis: AnalysisSettings | undefined, owner: string, filter: string): void {
  if (!BUILT_IN_FILTERS.has(filter) && !analysis?.filter?.[filter]) {
    throw badRequest(`Custom Analyzer [${owner}] failed to find filter under name [${filter}]`, 'illegal_argument_exception');
  }
}

export function analyzerExists(analysis: AnalysisSettings | undefined, name: string): boolean {
  return BUILT_IN_ANALYZERS.has(name) || analysis?.analyzer?.[name] !== undefined;
}

export function fieldAnalyzer(analysis: AnalysisSettings | undefined, name: string | undefined): FieldAnalyzer {
  const definition = name ? analysis?.analyzer?.[name] : undefined;
  const shingles = (definition?.filter ?? []).some((filter) => analysis?.filter?.[filter]?.type === 'shingle');
  if (!shingles) return analyze;
  return (text) => {
    const terms = analyze(text);
    return terms.slice(1).map((term, i) => `${terms[i]} ${term}`);
  };
}
