import { open, readFile, stat } from 'node:fs/promises';
import { buildPlainDocument, parseJsonFile, parseJsonLine, type JsonDocumentOptions, type ParsedEntry } from '@tessera/domain';
import type { DiscoveredFile } from './discover-files';
import type { ReadItem } from './types';

export interface ReadOptions extends JsonDocumentOptions {
  /** Ids for plain files, assigned up front so clashes are resolved across the whole run. */
  plainFileIds: ReadonlyMap<string, string>;
  urlBase?: string;
}

/**
 * Yields the documents in one file, or failures explaining why it (or one of
 * its entries) cannot be sent. Never throws for file problems.
 */
export async function* readDocuments(file: DiscoveredFile, options: ReadOptions): AsyncGenerator<ReadItem> {
  try {
    if (file.kind === 'jsonl') {
      yield* readJsonLines(file, options);
    } else if (file.kind === 'json') {
      const content = await readFile(file.absolutePath, 'utf8');
      yield* parseJsonFile(content, file.displayPath, options).map(toReadItem);
    } else {
      yield await readPlainFile(file, options);
    }
  } catch (error) {
    yield { kind: 'failure', source: file.displayPath, message: `could not read file (${describeFsError(error)})`, wholeFile: true };
  }
}

/** Streams line by line so a large export never has to fit in memory. */
async function* readJsonLines(file: DiscoveredFile, options: ReadOptions): AsyncGenerator<ReadItem> {
  const handle = await open(file.absolutePath, 'r');
  try {
    let lineNumber = 0;
    for await (const line of handle.readLines({ encoding: 'utf8' })) {
      lineNumber++;
      const entry = parseJsonLine(line, lineNumber, file.displayPath, options);
      if (entry) yield toReadItem(entry);
    }
  } finally {
    await handle.close();
  }
}

async function readPlainFile(file: DiscoveredFile, options: ReadOptions): Promise<ReadItem> {
  const [content, stats] = await Promise.all([readFile(file.absolutePath, 'utf8'), stat(file.absolutePath)]);
  const id = options.plainFileIds.get(file.absolutePath);
  if (id === undefined) {
    // A programming error, not a user one: every plain file is given an id before reading.
    throw new Error(`no id was assigned to ${file.displayPath}`);
  }
  const document = buildPlainDocument({
    file,
    content,
    modified: stats.mtime,
    id,
    urlBase: options.urlBase,
    acl: options.defaultAcl,
  });
  return { kind: 'document', document, source: file.displayPath };
}

function toReadItem(entry: ParsedEntry): ReadItem {
  return entry.ok
    ? { kind: 'document', document: entry.document, source: entry.location }
    : { kind: 'failure', source: entry.location, message: entry.message, wholeFile: false };
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
