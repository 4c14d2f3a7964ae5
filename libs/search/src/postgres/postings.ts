import { analyze, termFrequencies } from '../analysis';
import type { IndexableDocument } from '../search-backend.port';

/** What the postings table holds for one document. */
export interface DocumentPostings {
  readonly titleLength: number;
  readonly bodyLength: number;
  /** term → [tf in title, tf in body] */
  readonly terms: Map<string, [number, number]>;
}

const MAX_TITLE_TF = 32_767; // smallint

export function buildPostings(document: Pick<IndexableDocument, 'title' | 'text'>): DocumentPostings {
  const titleTerms = analyze(document.title);
  const bodyTerms = analyze(document.text);
  const terms = new Map<string, [number, number]>();
  for (const [term, tf] of termFrequencies(titleTerms)) terms.set(term, [Math.min(tf, MAX_TITLE_TF), 0]);
  for (const [term, tf] of termFrequencies(bodyTerms)) {
    const entry = terms.get(term);
    if (entry) entry[1] = tf;
    else terms.set(term, [0, tf]);
  }
  return { titleLength: titleTerms.length, bodyLength: bodyTerms.length, terms };
}

/** Column arrays for one multi-row INSERT … SELECT FROM unnest(…). */
export interface PostingColumns {
  terms: string[];
  docPks: string[];
  tfTitle: number[];
  tfBody: number[];
  titleLengths: number[];
  bodyLengths: number[];
}

export function emptyPostingColumns(): PostingColumns {
  return { terms: [], docPks: [], tfTitle: [], tfBody: [], titleLengths: [], bodyLengths: [] };
}

export function appendPostings(columns: PostingColumns, docPk: string, postings: DocumentPostings): void {
  for (const [term, [tfTitle, tfBody]] of postings.terms) {
    columns.terms.push(term);
    columns.docPks.push(docPk);
    columns.tfTitle.push(tfTitle);
    columns.tfBody.push(tfBody);
    columns.titleLengths.push(postings.titleLength);
    columns.bodyLengths.push(postings.bodyLength);
  }
}
