import { stemmer } from 'stemmer';
import { normalizeText } from './normalize';
import { isStopWord } from './stopwords';
import { tokenize } from './tokenize';

export interface WeightedTerm {
  term: string;
  /** How many times the term occurs in the query. */
  weight: number;
}

/** Porter's rules are written for English; they only make sense on Latin letters. */
const LATIN_LETTERS_ONLY = /^[\p{Script=Latin}\p{M}]+$/u;

/**
 * Token → term, memoized because ingestion analyses tens of MB of text whose
 * vocabulary is small next to its length. Bounded: cleared when full, which is
 * cheaper than LRU bookkeeping and refills with the frequent words at once.
 * A stop word maps to null.
 */
const MAX_MEMOIZED_TERMS = 50_000;
const termByToken = new Map<string, string | null>();

/**
 * Text → index terms, in order: normalize, tokenize, drop English stop words,
 * Porter-stem Latin-script words. The same function runs at ingestion and at
 * query time, so both sides always agree on what a term is.
 */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(normalizeText(text))) {
    const term = tokenToTerm(token);
    if (term !== null) terms.push(term);
  }
  return terms;
}

/** Distinct query terms in first-occurrence order, weighted by repetition. */
export function analyzeQuery(text: string): WeightedTerm[] {
  return Array.from(termFrequencies(analyze(text)), ([term, weight]) => ({ term, weight }));
}

/** Occurrences per term; iteration order is first occurrence. */
export function termFrequencies(terms: readonly string[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  return frequencies;
}

function tokenToTerm(token: string): string | null {
  const memoized = termByToken.get(token);
  if (memoized !== undefined) return memoized;

  const term = isStopWord(token) ? null : stemIfLatin(token);
  if (termByToken.size >= MAX_MEMOIZED_TERMS) termByToken.clear();
  termByToken.set(token, term);
  return term;
}

// Numbers, mixed letter-digit codes and other scripts are kept as written:
// stemming them would only merge unrelated identifiers.
function stemIfLatin(token: string): string {
  return LATIN_LETTERS_ONLY.test(token) ? stemmer(token) : token;
}
