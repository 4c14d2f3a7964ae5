import { createApiClient, workspacePath, type CliContext, type GlobalOptions } from '../cli-context';
import { describeError } from '../report-error';
import { ExitCode, UsageError } from '../usage-error';
import { BatchUploader, DryRunSink, type BatchSink } from './batch-sinks';
import { DEFAULT_BATCH_LIMITS, NdjsonBatcher } from './batching';
import { discoverFiles, type Discovery } from './discover-files';
import { assignDocumentIds } from './document-id';
import { IngestTally } from './ingest-tally';
import { createProgressReporter, silentProgress, type ProgressReporter } from './progress';
import { readDocuments, type ReadOptions } from './read-documents';
import { formatSummary } from './summary';
import { SyncRunClient } from './sync-run';
import type { DocumentAcl } from './types';

export interface IngestCommandOptions {
  tenant: string;
  workspace: string;
  batchSize: number;
  idPrefix?: string;
  groups?: string[];
  users?: string[];
  urlBase?: string;
  dryRun?: boolean;
  concurrency: number;
  /** A reconciled sync of this source (see sync-run.ts). */
  sync?: string;
  forceDelete?: boolean;
}

const ID_PREFIX_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * `tessera ingest`: discover → derive documents → batch → upload (or list,
 * for --dry-run) → summary. Exit 0 when everything was ingested, 1 when
 * anything failed, 2 for usage errors (thrown as UsageError).
 */
export async function runIngest(
  paths: string[],
  options: IngestCommandOptions,
  global: GlobalOptions,
  context: CliContext,
): Promise<number> {
  const idPrefix = options.idPrefix ?? '';
  if (idPrefix && !ID_PREFIX_PATTERN.test(idPrefix)) {
    throw new UsageError(
      `invalid --id-prefix "${idPrefix}": use up to 64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  const dryRun = options.dryRun === true;
  // Resolve the token before reading anything, so a missing one fails fast.
  const client = dryRun ? undefined : createApiClient(context, global);
  if (options.sync !== undefined && dryRun) throw new UsageError('--sync deletes documents; it cannot be combined with --dry-run');
  const discovery = await discoverFiles(paths);
  const workspace = workspacePath(options.tenant, options.workspace);
  const sync = client && options.sync !== undefined ? await SyncRunClient.open(client, workspace, options.sync) : undefined;
  const tally = startTally(discovery);
  const progress: ProgressReporter = dryRun
    ? silentProgress
    : createProgressReporter(context.io, context.progressIntervalMs, discovery.files.length);
  const sink: BatchSink = client
    ? new BatchUploader({
        client,
        bulkPath: `${workspace}/documents:bulk${sync ? `?sync=${encodeURIComponent(sync.id)}` : ''}`,
        concurrency: options.concurrency,
        retry: context.retry,
        tally,
        progress,
      })
    : new DryRunSink(context.io, tally);

  try {
    await sendAll(discovery, readOptionsFor(discovery, options, idPrefix), options.batchSize, sink, tally, progress);
  } finally {
    // Even after a fatal error, let in-flight batches finish so their results are counted.
    await sink.drain();
    progress.stop();
  }

  context.io.stdout(formatSummary(tally, { dryRun }));
  if (sink.fatalError !== undefined) {
    context.io.stderr(`error: ${describeError(sink.fatalError)}; stopped early, remaining files were not sent\n`);
    if (sync) await sync.abandon(context.io, 'not every file was sent');
    return ExitCode.failed;
  }
  if (sync) {
    // Completing after failures would delete the documents that failed to arrive: abandon instead.
    if (tally.failed > 0) {
      await sync.abandon(context.io, `${tally.failed} failed`);
      return ExitCode.failed;
    }
    return (await sync.complete(context.io, options.forceDelete === true)) ? ExitCode.ok : ExitCode.failed;
  }
  return tally.failed > 0 ? ExitCode.failed : ExitCode.ok;
}

function startTally(discovery: Discovery): IngestTally {
  const tally = new IngestTally();
  tally.filesFound = discovery.files.length;
  tally.filesSkipped = discovery.skipped.length;
  for (const failure of discovery.failures) tally.recordFailure(failure.source, failure.message);
  return tally;
}

function readOptionsFor(discovery: Discovery, options: IngestCommandOptions, idPrefix: string): ReadOptions {
  const plainFiles = discovery.files
    .filter((file) => file.kind !== 'json' && file.kind !== 'jsonl')
    .map((file) => ({ key: file.absolutePath, relativePath: file.relativePath }));
  let defaultAcl: DocumentAcl | undefined;
  if (options.groups || options.users) {
    defaultAcl = {};
    if (options.users) defaultAcl.users = options.users;
    if (options.groups) defaultAcl.groups = options.groups;
  }
  return {
    idPrefix,
    defaultAcl,
    urlBase: options.urlBase,
    plainFileIds: assignDocumentIds(plainFiles, idPrefix),
  };
}

/** Files are read one at a time; submit() applies backpressure while uploads are busy. */
async function sendAll(
  discovery: Discovery,
  readOptions: ReadOptions,
  batchSize: number,
  sink: BatchSink,
  tally: IngestTally,
  progress: ProgressReporter,
): Promise<void> {
  const batcher = new NdjsonBatcher({ ...DEFAULT_BATCH_LIMITS, maxDocuments: batchSize });
  // Two entries with one id would silently overwrite each other; the later one is reported instead.
  const firstSourceById = new Map<string, string>();

  for (const file of discovery.files) {
    if (sink.fatalError !== undefined) return;
    let wholeFileFailed = false;
    for await (const item of readDocuments(file, readOptions)) {
      if (item.kind === 'failure') {
        tally.recordFailure(item.source, item.message);
        wholeFileFailed ||= item.wholeFile;
        continue;
      }
      const firstSource = firstSourceById.get(item.document.id);
      if (firstSource !== undefined) {
        tally.recordFailure(item.source, `duplicate id "${item.document.id}" (already used by ${firstSource})`);
        continue;
      }
      firstSourceById.set(item.document.id, item.source);
      const closed = batcher.add(item);
      if (closed) await sink.submit(closed);
      if (sink.fatalError !== undefined) return;
    }
    if (!wholeFileFailed) tally.filesRead++;
    tally.filesProcessed++;
    progress.update(tally);
  }
  const last = batcher.flush();
  if (last) await sink.submit(last);
}
