import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CisiDocument {
  id: string;
  title: string;
  text: string;
  authors: string;
}

export interface CisiQuery {
  id: string;
  text: string;
}

/** Query id → ids of the documents judged relevant (binary judgments). */
export type Qrels = Map<string, Set<string>>;

export interface CisiCollection {
  docs: CisiDocument[];
  /** Only the queries that have relevance judgments: the others cannot be scored. */
  queries: CisiQuery[];
  qrels: Qrels;
}

interface TaggedRecord {
  id: string;
  /** Field letter → one entry per occurrence of the field, each a list of lines. */
  fields: Map<string, string[][]>;
}

/**
 * A field marker is a line holding only "." and one capital letter (".I 12",
 * ".T", ".W "). Text lines that merely start with a dot (".5 percent") are not.
 */
const FIELD_MARKER = /^\.([A-Z])(?:\s+(.*))?$/;

/** Reads CISI.ALL, CISI.QRY and CISI.REL from a directory. */
export function loadCisi(directory: string): CisiCollection {
  const read = (name: string): string => readFileSync(join(directory, name), 'utf8');
  const docs = parseCisiDocuments(read('CISI.ALL'));
  const qrels = parseCisiQrels(read('CISI.REL'));
  const queries = parseCisiQueries(read('CISI.QRY')).filter((query) => qrels.has(query.id));
  return { docs, queries, qrels };
}

export function parseCisiDocuments(content: string): CisiDocument[] {
  return parseTaggedRecords(content).map((record) => ({
    id: record.id,
    title: joinedField(record, 'T', ' '),
    text: joinedField(record, 'W', '\n'),
    // One author per line; a record may repeat the .A field.
    authors: (record.fields.get('A') ?? []).flat().map((line) => line.trim()).filter(Boolean).join('; '),
  }));
}

/** The query is its .W text; queries taken from papers also carry .T/.A/.B, which we ignore. */
export function parseCisiQueries(content: string): CisiQuery[] {
  return parseTaggedRecords(content).map((record) => ({ id: record.id, text: joinedField(record, 'W', '\n') }));
}

/** Lines of "<query id> <document id> <0> <0.000000>", whitespace-separated. */
export function parseCisiQrels(content: string): Qrels {
  const qrels: Qrels = new Map();
  for (const line of content.split(/\r?\n/)) {
    const [queryId, documentId] = line.trim().split(/\s+/);
    if (!queryId || !documentId) continue;
    let relevant = qrels.get(queryId);
    if (relevant === undefined) qrels.set(queryId, (relevant = new Set()));
    relevant.add(documentId);
  }
  return qrels;
}

function parseTaggedRecords(content: string): TaggedRecord[] {
  const records: TaggedRecord[] = [];
  let currentLines: string[] | undefined;

  for (const line of content.split(/\r?\n/)) {
    const marker = FIELD_MARKER.exec(line);
    if (marker === null) {
      currentLines?.push(line);
      continue;
    }
    const [, letter, rest = ''] = marker;
    if (letter === 'I') {
      records.push({ id: rest.trim(), fields: new Map() });
      currentLines = undefined;
      continue;
    }
    const record = records.at(-1);
    if (record === undefined) continue; // a field before any .I: nothing to attach it to
    currentLines = rest.trim() === '' ? [] : [rest];
    const occurrences = record.fields.get(letter) ?? [];
    occurrences.push(currentLines);
    record.fields.set(letter, occurrences);
  }
  return records;
}

function joinedField(record: TaggedRecord, letter: string, separator: string): string {
  const occurrences = record.fields.get(letter) ?? [];
  return occurrences
    .map((lines) => lines.map((line) => line.trim()).filter(Boolean).join(separator))
    .filter(Boolean)
    .join(separator);
}
