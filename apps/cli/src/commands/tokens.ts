import { type CliContext, type GlobalOptions, workspacePath } from '../cli-context';
import { ExitCode } from '../usage-error';
import { display, postCreate, printJson, prominent } from './create-request';

export interface CreateAccessTokenOptions {
  tenant: string;
  workspace: string;
  subject: string;
  groups?: string[];
  expiresInDays?: number;
  json?: boolean;
}

interface CreatedAccessToken {
  id: string;
  token: string;
  subject: string;
  groups?: string[];
  expiresAt?: string | null;
}

export async function createAccessToken(
  options: CreateAccessTokenOptions,
  global: GlobalOptions,
  context: CliContext,
): Promise<number> {
  // Optional fields are omitted rather than sent as null so server defaults apply.
  const body: Record<string, unknown> = { subject: options.subject };
  if (options.groups) body.groups = options.groups;
  if (options.expiresInDays !== undefined) body.expiresInDays = options.expiresInDays;

  const path = `${workspacePath(options.tenant, options.workspace)}/access-tokens`;
  const created = await postCreate<CreatedAccessToken>(context, global, path, body);
  if (options.json) {
    printJson(context, created);
    return ExitCode.ok;
  }
  const groups = created?.groups?.length ? created.groups.join(', ') : '(none)';
  const expires = created?.expiresAt ? created.expiresAt : 'never';
  context.io.stdout(
    `Created access token for ${display(created?.subject)} (id: ${display(created?.id)})\n` +
      `  workspace: ${options.tenant}/${options.workspace}\n` +
      `  groups:    ${groups}\n` +
      `  expires:   ${expires}\n\n` +
      'Access token (shown only once; give it to the user over a secure channel):\n' +
      prominent(created?.token),
  );
  return ExitCode.ok;
}
