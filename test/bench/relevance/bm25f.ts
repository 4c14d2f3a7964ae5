import { termFrequencies } from '../../../libs/search/src/analysis';
import { addPosting, bm25Idf, rankByScore, type Analyzer, type Postings } from './okapi-bm25';

export interface FieldWeighting {
  /** How much one occurrence in this field counts relative to the others. */
  weight: number;
  /** Length normalization for this field alone. */
  b: number;
}

export interface MultiFieldDocument {
  id: string;
  fields: Record<string, string>;
}

/**
 * BM25F (Robertson, Zaragoza & Taylor 2004; Zaragoza et al. 2004): each field's
 * term frequency is length-normalized with its own b and weighted, the sum is
 * saturated once with k1, and idf counts documents containing the term in any
 * field. An experiment next to the single-field reference, to see whether
 * scoring the title separately pays off.
 */
export class Bm25fIndex {
  private readonly documentIds: string[];
  private readonly fieldLengths = new Map<string, Float64Array>();
  private readonly averageFieldLengths = new Map<string, number>();
  private readonly postings = new Map<string, Map<string, Postings>>(); // field → term → postings
  /** Documents containing the term in any field. */
  private readonly documentFrequencies = new Map<string, number>();

  constructor(
    documents: readonly MultiFieldDocument[],
    private readonly analyze: Analyzer,
    private readonly fieldWeightings: Readonly<Record<string, FieldWeighting>>,
    private readonly k1 = 1.2,
  ) {
    this.documentIds = documents.map((document) => document.id);
    const fields = Object.keys(fieldWeightings);
    for (const field of fields) {
      this.fieldLengths.set(field, new Float64Array(documents.length));
      this.postings.set(field, new Map());
    }
    documents.forEach((document, documentIndex) => {
      const termsInDocument = new Set<string>();
      for (const field of fields) {
        const terms = analyze(document.fields[field] ?? '');
        this.fieldLengths.get(field)![documentIndex] = terms.length;
        for (const [term, frequency] of termFrequencies(terms)) {
          addPosting(this.postings.get(field)!, term, documentIndex, frequency);
          termsInDocument.add(term);
        }
      }
      for (const term of termsInDocument) this.documentFrequencies.set(term, (this.documentFrequencies.get(term) ?? 0) + 1);
    });
    for (const field of fields) {
      const totalLength = this.fieldLengths.get(field)!.reduce((sum, length) => sum + length, 0);
      // An empty field everywhere has no length to normalize by.
      this.averageFieldLengths.set(field, totalLength / documents.length || 1);
    }
  }

  search(query: string, limit = 1000): string[] {
    return rankByScore(this.scoreAll(query), this.documentIds, limit);
  }

  /** Every matching document's score, by id. */
  scores(query: string): Map<string, number> {
    const scores = this.scoreAll(query);
    const byId = new Map<string, number>();
    scores.forEach((score, index) => {
      if (score > 0) byId.set(this.documentIds[index]!, score);
    });
    return byId;
  }

  private scoreAll(query: string): Float64Array {
    const documentCount = this.documentIds.length;
    const scores = new Float64Array(documentCount);

    for (const [term, queryFrequency] of termFrequencies(this.analyze(query))) {
      const documentFrequency = this.documentFrequencies.get(term);
      if (documentFrequency === undefined) continue;
      const pseudoFrequencies = new Map<number, number>();
      for (const [field, { weight, b }] of Object.entries(this.fieldWeightings)) {
        const postings = this.postings.get(field)?.get(term);
        if (postings === undefined) continue;
        const lengths = this.fieldLengths.get(field)!;
        const averageLength = this.averageFieldLengths.get(field)!;
        postings.documentIndexes.forEach((documentIndex, position) => {
          const lengthNorm = 1 - b + (b * lengths[documentIndex]) / averageLength;
          const weighted = (weight * postings.termFrequencies[position]) / lengthNorm;
          pseudoFrequencies.set(documentIndex, (pseudoFrequencies.get(documentIndex) ?? 0) + weighted);
        });
      }
      const idf = bm25Idf(documentCount, documentFrequency);
      for (const [documentIndex, frequency] of pseudoFrequencies) {
        scores[documentIndex] += (queryFrequency * idf * frequency * (this.k1 + 1)) / (frequency + this.k1);
      }
    }
    return scores;
  }
}
