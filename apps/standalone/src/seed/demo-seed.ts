import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformSettingRepository } from '@tessera/persistence';
import type { PlatformConfig } from '@tessera/server';
import { AccessTokensService } from '../../../tenant-api/src/access-tokens/access-tokens.service';
import type { Actor } from '../../../tenant-api/src/api-auth/actor';
import { DocumentsService } from '../../../tenant-api/src/documents/documents.service';
import { TenantAdminsService } from '../../../tenant-api/src/tenant-admins/tenant-admins.service';
import { TenantsService } from '../../../tenant-api/src/tenants/tenants.service';
import { UsersService } from '../../../tenant-api/src/users/users.service';
import { WorkspacesService } from '../../../tenant-api/src/workspaces/workspaces.service';
import { loadDemoDocuments } from './demo-documents';

export const DEMO = {
  tenant: { slug: 'northwind', name: 'Northwind Labs' },
  workspace: { slug: 'handbook', name: 'Employee handbook' },
  user: { email: 'demo@northwind-labs.example', name: 'Demo User' },
} as const;

/** What the demo's first start created; kept in DATA_DIR (mode 0600): printed on that start only, read from the file after. */
export interface DemoSeed {
  readonly tenantApiKey: string;
  readonly accessToken: string;
  readonly userEmail: string;
  readonly userPassword: string;
  readonly connectorPath: string;
}

const SEED_KEY = 'demo-seed:v1';
const PLATFORM: Actor = { kind: 'platform' };

/** The demo's credentials, and whether this start created them (later starts do not print them). */
export interface DemoState {
  readonly seed: DemoSeed;
  readonly seededNow: boolean;
  /** Where the credentials are kept. */
  readonly file: string;
}

/** Seeds the embedded demo once: a tenant, a workspace with ~30 handbook documents, a user and a token. */
export async function seedDemo(app: INestApplication, config: PlatformConfig): Promise<DemoState | undefined> {
  const settings = app.get(PlatformSettingRepository);
  const file = join(config.dataDir, 'demo-credentials.json');
  if (await settings.get(SEED_KEY)) {
    return existsSync(file) ? { seed: JSON.parse(readFileSync(file, 'utf8')) as DemoSeed, seededNow: false, file } : undefined;
  }
  const logger = new Logger('DemoSeed');
  logger.log('first start: seeding the demo tenant and workspace');
  const { apiKey } = await app.get(TenantsService).create(PLATFORM, DEMO.tenant);
  await app.get(WorkspacesService).create(PLATFORM, DEMO.tenant.slug, DEMO.workspace);
  const body = loadDemoDocuments().map((d) => JSON.stringify(d)).join('\n');
  const ingest = await app.get(DocumentsService).bulk(PLATFORM, DEMO.tenant.slug, DEMO.workspace.slug, [body]);
  if (ingest.summary.failed > 0) throw new Error(`demo seed: ${ingest.summary.failed} documents failed`);
  const userPassword = randomBytes(9).toString('base64url');
  await app.get(UsersService).addToWorkspace(PLATFORM, DEMO.tenant.slug, DEMO.workspace.slug, {
    ...DEMO.user,
    password: userPassword,
    groups: ['employees'],
  });
  // The demo user is also the demo tenant's admin, so the console (/console) works out of the box.
  await app.get(TenantAdminsService).add(PLATFORM, DEMO.tenant.slug, DEMO.user.email);
  const { token } = await app.get(AccessTokensService).issue(PLATFORM, DEMO.tenant.slug, DEMO.workspace.slug, {
    subject: DEMO.user.email,
    groups: ['employees'],
  });
  const seed: DemoSeed = {
    tenantApiKey: apiKey,
    accessToken: token,
    userEmail: DEMO.user.email,
    userPassword,
    connectorPath: `/mcp/${DEMO.tenant.slug}/${DEMO.workspace.slug}`,
  };
  // On PostgreSQL with the admin token given, nothing has created the data directory yet.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(seed, null, 2), { mode: 0o600 });
  await settings.setOnce(SEED_KEY, { seededAt: new Date().toISOString() });
  return { seed, seededNow: true, file };
}
