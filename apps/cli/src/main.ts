import { Command, CommanderError } from 'commander';
import type { CliContext, GlobalOptions } from './cli-context';
import { createTenant, type CreateTenantOptions } from './commands/tenants';
import { createAccessToken, type CreateAccessTokenOptions } from './commands/tokens';
import { createWorkspace, type CreateWorkspaceOptions } from './commands/workspaces';
import { runIngest, type IngestCommandOptions } from './ingest/ingest-command';
import { commaSeparatedList, documentUrlBase, httpUrl, nonEmptyString, positiveInteger } from './option-parsers';
import { reportError } from './report-error';
import { ExitCode } from './usage-error';

/**
 * Commander wiring only: flags, help text and exit codes. The work happens in
 * commands/ and ingest/. run() never calls process.exit; bin/tessera.js does.
 */
export async function run(argv: string[], overrides: Partial<CliContext> = {}): Promise<number> {
  const context = defaultContext(overrides);
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(context, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (bad flag, unknown command, help).
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(error, context.io, context.env);
  }
}

function defaultContext(overrides: Partial<CliContext>): CliContext {
  return {
    io: overrides.io ?? {
      stdout: (text) => void process.stdout.write(text),
      stderr: (text) => void process.stderr.write(text),
      progressStream: process.stderr.isTTY ? process.stderr : undefined,
    },
    env: overrides.env ?? process.env,
    retry: overrides.retry ?? {},
    fetch: overrides.fetch,
    progressIntervalMs: overrides.progressIntervalMs ?? 5_000,
  };
}

type SetExitCode = (code: number) => void;

function buildProgram(context: CliContext, setExitCode: SetExitCode): Command {
  const program = new Command('tessera')
    .description('Manage Tessera tenants, workspaces, access tokens and documents through the HTTP API.')
    // Settings below are inherited by every subcommand created afterwards.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout(text),
      writeErr: (text) => context.io.stderr(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .option('--api-url <url>', 'API base URL (default: $TESSERA_API_URL or http://localhost:8080)', httpUrl)
    .addHelpText(
      'after',
      '\nAuthentication: set TESSERA_TOKEN (a tenant API key or the platform admin token),\n' +
        'or TESSERA_ADMIN_TOKEN. Tokens are read from the environment only, never from flags.',
    );

  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

  const tenants = program.command('tenants').description('Manage tenants (requires the platform admin token)');
  tenants
    .command('create')
    .description('Create a tenant and print its API key (shown only once)')
    .requiredOption('--slug <slug>', 'tenant identifier used in URLs', nonEmptyString)
    .requiredOption('--name <name>', 'display name', nonEmptyString)
    .option('--json', 'print the API response as JSON')
    .action(async (options: CreateTenantOptions, command: Command) => {
      setExitCode(await createTenant(options, globals(command), context));
    });

  const workspaces = program.command('workspaces').description('Manage workspaces of a tenant');
  workspaces
    .command('create')
    .description('Create a workspace and print its ChatGPT connector URL')
    .requiredOption('--tenant <tenant>', 'tenant slug', nonEmptyString)
    .requiredOption('--slug <slug>', 'workspace identifier used in URLs', nonEmptyString)
    .requiredOption('--name <name>', 'display name', nonEmptyString)
    .option('--json', 'print the API response as JSON')
    .action(async (options: CreateWorkspaceOptions, command: Command) => {
      setExitCode(await createWorkspace(options, globals(command), context));
    });

  const tokens = program.command('tokens').description('Manage end-user access tokens of a workspace');
  tokens
    .command('create')
    .description('Create an access token for one user (the token is shown only once)')
    .requiredOption('--tenant <tenant>', 'tenant slug', nonEmptyString)
    .requiredOption('--workspace <workspace>', 'workspace slug', nonEmptyString)
    .requiredOption('--subject <subject>', 'who the token is for, e.g. an email address', nonEmptyString)
    .option('--groups <list>', 'comma-separated groups, used for document access control', commaSeparatedList)
    .option('--expires-in-days <n>', 'days until the token expires (default: server policy)', positiveInteger(36_500))
    .option('--json', 'print the API response as JSON')
    .action(async (options: CreateAccessTokenOptions, command: Command) => {
      setExitCode(await createAccessToken(options, globals(command), context));
    });

  program
    .command('ingest')
    .description('Upload documents from files and directories (md, txt, html, json, jsonl/ndjson)')
    .argument('<paths...>', 'files or directories (searched recursively; dotfiles and node_modules are skipped)')
    .requiredOption('--tenant <tenant>', 'tenant slug', nonEmptyString)
    .requiredOption('--workspace <workspace>', 'workspace slug', nonEmptyString)
    .option('--batch-size <n>', 'maximum documents per request (batches also stop at ~4 MB)', positiveInteger(1000), 200)
    .option('--id-prefix <prefix>', 'prepended verbatim to every document id, e.g. "handbook-"')
    .option('--groups <list>', 'comma-separated groups allowed to read documents that have no acl of their own', commaSeparatedList)
    .option('--users <list>', 'comma-separated users allowed to read documents that have no acl of their own', commaSeparatedList)
    .option('--url-base <url>', 'gives each plain file the url <url-base>/<relative path>', documentUrlBase)
    .option('--dry-run', 'list the ids and titles that would be sent, without calling the API')
    .option('--concurrency <n>', 'requests in flight at once', positiveInteger(16), 2)
    .option('--sync <source>', 'a reconciled sync of this source: afterwards, delete its documents these files did not include')
    .option('--force-delete', 'with --sync: delete even when that is more than 20% of the source')
    .action(async (paths: string[], options: IngestCommandOptions, command: Command) => {
      setExitCode(await runIngest(paths, options, globals(command), context));
    });

  return program;
}
