import { loadPlatformConfig } from '@tessera/server';
import type { RunningPlatform } from './platform';

/** What a newcomer needs after `npm start`: where things are and how to try them. Secrets only on a TTY or the demo. */
export function printWelcome(platform: RunningPlatform): void {
  const config = loadPlatformConfig(process.env, { allowGeneratedAdminToken: true });
  const base = config.publicUrl;
  const lines = [
    '',
    `Tessera is running on ${platform.url} (public URL ${base})`,
    `  Admin console:     ${base}/console/`,
    `  Tenant API docs:   ${base}/docs`,
    `  Health:            ${base}/healthz, ${base}/readyz`,
    ...(platform.metricsUrl ? [`  Metrics:           ${platform.metricsUrl} (a separate port, not exposed publicly)`] : []),
  ];
  if (config.adminTokenGenerated) {
    lines.push(`  Admin token:       ${platform.adminToken}   (kept in ${config.dataDir}/admin-token)`);
  }
  const demo = platform.demo;
  if (demo) {
    lines.push(
      '',
      'Demo workspace (Northwind Labs employee handbook):',
      `  Connector URL:     ${base}${demo.connectorPath}`,
      `  Access token:      ${demo.accessToken}`,
      `  Demo user:         ${demo.userEmail} / ${demo.userPassword}   (also the tenant's admin: sign in to the console as organization "northwind")`,
      `  Tenant API key:    ${demo.tenantApiKey}`,
      '',
      'Try it:',
      `  curl -s ${base}${demo.connectorPath} -H 'authorization: Bearer ${demo.accessToken}' \\`,
      `    -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' \\`,
      `    -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"how do I request a laptop"}}}'`,
      `  (credentials are also in ${config.dataDir}/demo-credentials.json)`,
    );
  }
  console.log(lines.join('\n') + '\n');
}
