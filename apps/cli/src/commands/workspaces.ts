import { type CliContext, type GlobalOptions, tenantPath } from '../cli-context';
import { ExitCode } from '../usage-error';
import { display, postCreate, printJson, prominent } from './create-request';

export interface CreateWorkspaceOptions {
  tenant: string;
  slug: string;
  name: string;
  json?: boolean;
}

interface CreatedWorkspace {
  id: string;
  slug: string;
  name: string;
  connectorUrl: string;
}

export async function createWorkspace(
  options: CreateWorkspaceOptions,
  global: GlobalOptions,
  context: CliContext,
): Promise<number> {
  const workspace = await postCreate<CreatedWorkspace>(context, global, `${tenantPath(options.tenant)}/workspaces`, {
    slug: options.slug,
    name: options.name,
  });
  if (options.json) {
    printJson(context, workspace);
    return ExitCode.ok;
  }
  const slug = workspace?.slug ?? options.slug;
  context.io.stdout(
    `Created workspace "${display(workspace?.name)}" (slug: ${display(workspace?.slug)}, id: ${display(workspace?.id)}) ` +
      `in tenant ${options.tenant}\n\n` +
      'Connector URL (add it to ChatGPT as a custom MCP connector):\n' +
      prominent(workspace?.connectorUrl) +
      'Next steps:\n' +
      `  tessera tokens create --tenant ${options.tenant} --workspace ${slug} --subject <user>\n` +
      `  tessera ingest <paths...> --tenant ${options.tenant} --workspace ${slug}\n`,
  );
  return ExitCode.ok;
}
