import type { IngestTally } from './ingest-tally';

/** The end-of-run report printed to stdout. */
export function formatSummary(tally: IngestTally, options: { dryRun: boolean }): string {
  const batches = `${tally.batchesSent} ${tally.batchesSent === 1 ? 'batch' : 'batches'}`;
  const lines = options.dryRun
    ? [
        'Dry run: nothing was sent.',
        row('files read', tally.filesRead),
        row('skipped', tally.filesSkipped),
        row('documents', `${tally.documentsSent} would be sent in ${batches}`),
        row('failed', tally.failed),
      ]
    : [
        'Ingest summary',
        row('files read', tally.filesRead),
        row('skipped', tally.filesSkipped),
        row('documents', `${tally.documentsSent} sent in ${batches}`),
        row('created', tally.created),
        row('updated', tally.updated),
        row('unchanged', tally.unchanged),
        row('failed', tally.failed),
      ];
  if (tally.failures.length > 0) {
    const heading =
      tally.failed > tally.failures.length
        ? `Failures (first ${tally.failures.length} of ${tally.failed}):`
        : `Failures (${tally.failed}):`;
    lines.push('', heading, ...tally.failures.map((failure) => `  ${failure.label}: ${failure.message}`));
  }
  return `${lines.join('\n')}\n`;
}

function row(label: string, value: number | string): string {
  return `  ${`${label}:`.padEnd(12)} ${value}`;
}
