import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { welcomeLines, type WelcomeInput } from './welcome';

const seed = {
  tenantApiKey: 'tsk_tenant-key-secret',
  accessToken: 'tsw_access-token-secret',
  userEmail: 'demo@northwind-labs.example',
  userPassword: 'password-secret',
  connectorPath: '/mcp/northwind/handbook',
};
const dataDir = join(process.cwd(), '.data');
const start = (first: boolean): WelcomeInput => ({
  url: 'http://0.0.0.0:8080',
  publicUrl: 'http://localhost:8080',
  dataDir,
  adminToken: 'tsa_admin-token-secret',
  adminTokenGenerated: true,
  adminTokenCreated: first,
  demo: { seed, seededNow: first, file: join(dataDir, 'demo-credentials.json') },
});
const SECRETS = ['tsk_tenant-key-secret', 'tsw_access-token-secret', 'password-secret', 'tsa_admin-token-secret'];

describe('npm start welcome', () => {
  it('prints every secret on the first start, saying where it is kept', () => {
    const text = welcomeLines(start(true)).join('\n');
    for (const secret of SECRETS) assert.ok(text.includes(secret), secret);
    assert.match(text, /\.data\/demo-credentials\.json/);
  });

  it('prints no secret on a later start, and points to the files that hold them', () => {
    const text = welcomeLines(start(false)).join('\n');
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} printed again`);
    assert.match(text, /Credentials: +in \.data\/demo-credentials\.json/);
    assert.match(text, /Admin token: +in \.data\/admin-token/);
    assert.match(text, /require\('\.\/\.data\/demo-credentials\.json'\)\.accessToken/, 'the example reads the token from the file');
    assert.match(text, /Connector URL: +http:\/\/localhost:8080\/mcp\/northwind\/handbook/);
  });
});
