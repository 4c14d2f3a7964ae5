import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { documentFileKind, type DocumentFileKind } from '@tessera/domain';
import { UsageError } from '../usage-error';

export type FileKind = DocumentFileKind;

export interface DiscoveredFile {
  absolutePath: string;
  /** Relative to the path argument it was found under, always with `/` separators. */
  relativePath: string;
  /** How the user would recognise it in messages: the argument joined with the relative path. */
  displayPath: string;
  kind: FileKind;
}

export interface SkippedEntry {
  displayPath: string;
  reason: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  skipped: SkippedEntry[];
  /** Directories that could not be listed; reported, never fatal. */
  failures: { source: string; message: string }[];
}

export function fileKindOf(fileName: string): FileKind | undefined {
  return documentFileKind(fileName);
}

/** Hidden entries and dependency folders are never content. */
function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Expands the ingest path arguments into supported files, in a stable order
 * (arguments as given, directory entries sorted) so derived ids do not change
 * between runs. A missing argument is a usage error, checked before any upload.
 */
export async function discoverFiles(paths: string[]): Promise<Discovery> {
  const discovery: Discovery = { files: [], skipped: [], failures: [] };
  const seen = new Set<string>();
  const roots: { arg: string; absolute: string; isDirectory: boolean }[] = [];
  for (const arg of paths) {
    const absolute = path.resolve(arg);
    const stats = await stat(absolute).catch(() => undefined);
    if (!stats) throw new UsageError(`path not found: ${arg}`);
    roots.push({ arg, absolute, isDirectory: stats.isDirectory() });
  }
  for (const root of roots) {
    if (root.isDirectory) {
      await walkDirectory(root.absolute, root, discovery, seen);
    } else {
      addFile(root.absolute, path.basename(root.absolute), root.arg, discovery, seen);
    }
  }
  return discovery;
}

function addFile(
  absolutePath: string,
  relativePath: string,
  displayPath: string,
  discovery: Discovery,
  seen: Set<string>,
): void {
  // Overlapping arguments (`docs docs/a.md`) must not send a file twice.
  if (seen.has(absolutePath)) return;
  seen.add(absolutePath);
  const kind = fileKindOf(absolutePath);
  if (kind) {
    discovery.files.push({ absolutePath, relativePath, displayPath, kind });
  } else {
    discovery.skipped.push({ displayPath, reason: 'unsupported file type' });
  }
}

async function walkDirectory(
  directory: string,
  root: { arg: string; absolute: string },
  discovery: Discovery,
  seen: Set<string>,
): Promise<void> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    discovery.failures.push({ source: displayPathOf(directory, root), message: `could not list directory (${errorCode(error)})` });
    return;
  }
  entries.sort((a, b) => compareNames(a.name, b.name));
  for (const entry of entries) {
    if (isIgnoredName(entry.name)) continue;
    const absolute = path.join(directory, entry.name);
    const relative = path.relative(root.absolute, absolute).split(path.sep).join('/');
    if (entry.isDirectory()) {
      await walkDirectory(absolute, root, discovery, seen);
    } else if (entry.isFile()) {
      addFile(absolute, relative, displayPathOf(absolute, root), discovery, seen);
    } else if (entry.isSymbolicLink()) {
      await addSymlink(absolute, relative, displayPathOf(absolute, root), discovery, seen);
    }
  }
}

/** Linked files are read; linked directories are not followed, which rules out cycles. */
async function addSymlink(
  absolute: string,
  relative: string,
  displayPath: string,
  discovery: Discovery,
  seen: Set<string>,
): Promise<void> {
  const target = await stat(absolute).catch(() => undefined);
  if (target?.isFile()) {
    addFile(absolute, relative, displayPath, discovery, seen);
  } else if (target?.isDirectory()) {
    discovery.skipped.push({ displayPath, reason: 'symbolic link to a directory (not followed)' });
  } else if (!(await lstat(absolute).catch(() => undefined))) {
    discovery.failures.push({ source: displayPath, message: 'could not read symbolic link' });
  } else {
    discovery.skipped.push({ displayPath, reason: 'broken symbolic link' });
  }
}

/**
 * Case-insensitive first, raw code units as a tie-break: readable (`guide.md`
 * before `Guide.txt`, so it keeps the natural id) and, unlike localeCompare,
 * the same on every machine, which keeps derived ids stable.
 */
function compareNames(a: string, b: string): number {
  const [lowerA, lowerB] = [a.toLowerCase(), b.toLowerCase()];
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function displayPathOf(absolute: string, root: { arg: string; absolute: string }): string {
  return path.join(root.arg, path.relative(root.absolute, absolute));
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
