import { termFrequencies } from '../../../libs/search/src/analysis';

/** Text → index terms; the product's analyzer, passed in so both sides use the same one. */
export type Analyzer = (text: string) => string[];

export interface Bm25Parameters {
  k1: number;
  b: number;
}

export const TEXTBOOK_BM25: Bm25Parameters = { k1: 1.2, b: 0.75 };

export interface IndexableDocument {
  id: string;
  text: string;
}

export interface Postings {
  documentIndexes: number[];
  termFrequencies: number[];
}

/**
 * Robertson/Spärck Jones idf as Lucene computes it: never negative, even for
 * a term in more than half of the documents.
 */
export function bm25Idf(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Textbook in-memory Okapi BM25 over one text field: the reference the
 * product's ranking is measured against. Each query term contributes once per
 * occurrence in the query (the k3 → ∞ form, as Lucene does for a repeated term).
 */
export class OkapiBm25Index {
  private constructor(
    private readonly documentIds: readonly string[],
    private readonly documentLengths: Float64Array,
    private readonly averageDocumentLength: number,
    private readonly postingsByTerm: ReadonlyMap<string, Postings>,
    private readonly analyze: Analyzer,
    private readonly parameters: Bm25Parameters,
  ) {}

  static build(
    documents: readonly IndexableDocument[],
    analyze: Analyzer,
    parameters: Bm25Parameters = TEXTBOOK_BM25,
  ): OkapiBm25Index {
    const documentLengths = new Float64Array(documents.length);
    const postingsByTerm = new Map<string, Postings>();
    documents.forEach((document, documentIndex) => {
      const terms = analyze(document.text);
      documentLengths[documentIndex] = terms.length;
      for (const [term, frequency] of termFrequencies(terms)) addPosting(postingsByTerm, term, documentIndex, frequency);
    });
    const totalLength = documentLengths.reduce((sum, length) => sum + length, 0);
    const averageLength = documents.length === 0 ? 0 : totalLength / documents.length;
    return new OkapiBm25Index(
      documents.map((document) => document.id),
      documentLengths,
      averageLength,
      postingsByTerm,
      analyze,
      parameters,
    );
  }

  /** Ids of the documents matching at least one query term, best first, at most `limit`. */
  search(query: string, limit = 1000): string[] {
    const { k1, b } = this.parameters;
    const documentCount = this.documentIds.length;
    const scores = new Float64Array(documentCount);

    for (const [term, queryFrequency] of termFrequencies(this.analyze(query))) {
      const postings = this.postingsByTerm.get(term);
      if (postings === undefined) continue;
      const idf = bm25Idf(documentCount, postings.documentIndexes.length);
      postings.documentIndexes.forEach((documentIndex, position) => {
        const frequency = postings.termFrequencies[position];
        const lengthNorm = 1 - b + (b * this.documentLengths[documentIndex]) / this.averageDocumentLength;
        scores[documentIndex] += (queryFrequency * idf * frequency * (k1 + 1)) / (frequency + k1 * lengthNorm);
      });
    }
    return rankByScore(scores, this.documentIds, limit);
  }
}

/** Appends in document order, which keeps every posting list sorted by document. */
export function addPosting(postingsByTerm: Map<string, Postings>, term: string, documentIndex: number, frequency: number): void {
  let postings = postingsByTerm.get(term);
  if (postings === undefined) postingsByTerm.set(term, (postings = { documentIndexes: [], termFrequencies: [] }));
  postings.documentIndexes.push(documentIndex);
  postings.termFrequencies.push(frequency);
}

/** Documents with a positive score, best first; ties keep collection order, so runs are repeatable. */
export function rankByScore(scores: Float64Array, documentIds: readonly string[], limit: number): string[] {
  const matching: number[] = [];
  scores.forEach((score, documentIndex) => {
    if (score > 0) matching.push(documentIndex);
  });
  matching.sort((left, right) => scores[right] - scores[left] || left - right);
  return matching.slice(0, limit).map((documentIndex) => documentIds[documentIndex]);
}
