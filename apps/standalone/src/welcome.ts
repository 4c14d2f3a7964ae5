import { relative } from 'node:path';
import type { RunningPlatform } from './platform';

/** What the welcome needs of the running platform. */
export type WelcomeInput = Pick<RunningPlatform, 'url' | 'metricsUrl' | 'adminToken' | 'adminTokenCreated' | 'demo'> & {
  readonly publicUrl: string;
  readonly dataDir: string;
  /** True when the admin token came from DATA_DIR rather than TESSERA_ADMIN_TOKEN. */
  readonly adminTokenGenerated: boolean;
};

/**
 * What a newcomer needs after `npm start`: where things are and how to try them. Secrets (the admin
 * token, the demo's API key, access token and password) are printed on the start that created them
 * only; later starts say which file holds them, so a restart does not put them in a terminal or a log again.
 */
export function welcomeLines(input: WelcomeInput): string[] {
  const base = input.publicUrl;
  const shown = (file: string) => (relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file) || file);
  const lines = [
    '',
    `Tessera is running on ${input.url} (public URL ${base})`,
    `  Admin console:     ${base}/console/`,
    `  Tenant API docs:   ${base}/docs`,
    `  Health:            ${base}/healthz, ${base}/readyz`,
    ...(input.metricsUrl ? [`  Metrics:           ${input.metricsUrl} (a separate port, not exposed publicly)`] : []),
  ];
  const adminFile = shown(`${input.dataDir}/admin-token`);
  if (input.adminTokenGenerated) {
    lines.push(input.adminTokenCreated ? `  Admin token:       ${input.adminToken}   (kept in ${adminFile}; printed this once)` : `  Admin token:       in ${adminFile}`);
  }
  const demo = input.demo;
  if (!demo) return lines;
  const file = shown(demo.file);
  const { seed } = demo;
  const connector = `${base}${seed.connectorPath}`;
  lines.push('', 'Demo workspace (Northwind Labs employee handbook):', `  Connector URL:     ${connector}`);
  if (demo.seededNow) {
    lines.push(
      `  Access token:      ${seed.accessToken}`,
      `  Demo user:         ${seed.userEmail} / ${seed.userPassword}   (also the tenant's admin: sign in to the console as organization "northwind")`,
      `  Tenant API key:    ${seed.tenantApiKey}`,
      `  (printed this once; kept in ${file})`,
    );
  } else {
    lines.push(`  Demo user:         ${seed.userEmail}`, `  Credentials:       in ${file} (access token, the demo user's password, tenant API key)`);
  }
  const token = demo.seededNow ? seed.accessToken : `$(node -p "require('${file.startsWith('/') ? file : `./${file}`}').accessToken")`;
  lines.push(
    '',
    'Try it:',
    `  curl -s ${connector} -H "authorization: Bearer ${token}" \\`,
    `    -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \\`,
    `    -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"how do I request a laptop"}}}'`,
  );
  return lines;
}

export function printWelcome(input: WelcomeInput): void {
  console.log(welcomeLines(input).join('\n') + '\n');
}
