/**
 * `npm run search:upgrade`: brings every OpenSearch index of the deployment to the current mapping
 * (SEARCH_BACKEND=opensearch and the OPENSEARCH_* variables, as the tenant API has them). Additive
 * changes are made in place (the tenant API also does this in the background when it starts); with
 * `--reindex`, the workspaces on indices whose change is not additive are rebuilt with reindexWorkspace
 * (writes to each are refused retryably while it copies). Prints one line per index that was not already
 * current, counts only.
 * Exit code 1 when an index still needs work (another process holds it, or a reindex is needed).
 */
import { loadSearchBackendSelection } from '../opensearch/opensearch.config';
import { describeUpgrade } from '../opensearch/mapping-upgrade-on-start';
import { OpenSearchSearchBackend } from '../opensearch/opensearch-search.backend';

const USAGE = 'usage: npm run search:upgrade [-- --reindex]';

export async function upgradeSearchIndices(argv: readonly string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const unknown = argv.filter((arg) => arg !== '--reindex');
  if (unknown.length > 0) {
    print(`unknown argument ${unknown[0]}; ${USAGE}`);
    return 2;
  }
  const selection = loadSearchBackendSelection(env);
  if (selection.kind !== 'opensearch') {
    print('SEARCH_BACKEND is not opensearch: nothing to upgrade');
    return 0;
  }
  const backend = new OpenSearchSearchBackend({ ...selection.options, autoRebalance: false });
  try {
    const reports = await backend.upgradeIndexMappings((report) => {
      if (report.outcome !== 'current') print(describeUpgrade(report));
    });
    let pending = reports.filter((report) => report.outcome === 'busy' || report.outcome === 'failed').length;
    for (const report of reports.filter((r) => r.outcome === 'reindex_needed')) {
      const workspaces = await backend.workspacesOn(report.index);
      if (workspaces.length === 0) {
        // Every workspace has left it (an old shared index): nothing to rebuild, only to delete.
        print(`${report.index}: no workspace uses it any more; delete it by name when you no longer need it`);
        continue;
      }
      if (!argv.includes('--reindex')) {
        print(`${report.index}: ${workspaces.length} workspaces need a reindex; run again with --reindex`);
        pending++;
        continue;
      }
      for (const workspace of workspaces) {
        try {
          const result = await backend.reindexWorkspace(workspace);
          print(`workspace ${workspace}: ${result.from} → ${result.to}, ${result.copied} documents copied`);
        } catch (error) {
          // Another process moving it (WorkspaceMoveInProgressError) or OpenSearch unavailable: the others still go.
          print(`workspace ${workspace}: not reindexed (${error instanceof Error ? error.message : 'unknown error'})`);
          pending++;
        }
      }
    }
    print(`${reports.length} indices checked, ${reports.filter((r) => r.outcome === 'upgraded').length} upgraded in place, ${pending} still need work`);
    return pending > 0 ? 1 : 0;
  } finally {
    await backend.onApplicationShutdown();
  }
}

if (require.main === module) {
  upgradeSearchIndices(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      // SearchConfigError names the variable; OpenSearch errors carry no document or query.
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
