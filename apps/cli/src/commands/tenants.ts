import type { CliContext, GlobalOptions } from '../cli-context';
import { ExitCode } from '../usage-error';
import { display, postCreate, printJson, prominent } from './create-request';

export interface CreateTenantOptions {
  slug: string;
  name: string;
  json?: boolean;
}

interface CreatedTenant {
  id: string;
  slug: string;
  name: string;
  apiKey: string;
}

export async function createTenant(
  options: CreateTenantOptions,
  global: GlobalOptions,
  context: CliContext,
): Promise<number> {
  const tenant = await postCreate<CreatedTenant>(context, global, '/v1/tenants', {
    slug: options.slug,
    name: options.name,
  });
  if (options.json) {
    printJson(context, tenant);
    return ExitCode.ok;
  }
  context.io.stdout(
    `Created tenant "${display(tenant?.name)}" (slug: ${display(tenant?.slug)}, id: ${display(tenant?.id)})\n\n` +
      'Tenant API key (shown only once; store it in a secret manager now):\n' +
      prominent(tenant?.apiKey) +
      'Use it for this tenant\'s commands with: export TESSERA_TOKEN=<the key above>\n',
  );
  return ExitCode.ok;
}
