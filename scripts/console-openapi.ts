// `npm run console:openapi`: boots the platform on a throwaway embedded database and saves the OpenAPI
// document the tenant API serves (/docs/openapi.json) as apps/console/openapi.json, which the console's
// types are generated from at build time. test/e2e/console.security.e2e.ts fails when the two differ.
import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../apps/standalone/src/platform';

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-openapi-'));
  const platform = await startPlatform({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', TESSERA_SEED_DEMO: 'false', METRICS_PORT: '0' });
  try {
    const document = await (await fetch(`${platform.url}/docs/openapi.json`)).json();
    await writeFile(join(__dirname, '../apps/console/openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  } finally {
    await platform.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
