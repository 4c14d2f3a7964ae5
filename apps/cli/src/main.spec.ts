import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { run } from './main';
import { captureIo } from './testing/capture-io';

/** No server here: every case must fail (or succeed) before any request is made. */
async function tessera(args: string[], env: NodeJS.ProcessEnv = { TESSERA_TOKEN: 'tok' }) {
  const output = captureIo();
  let requests = 0;
  const fetch = (async () => {
    requests++;
    throw new Error('no request expected');
  }) as unknown as typeof globalThis.fetch;
  const exitCode = await run(args, { io: output.io, env, fetch });
  return { exitCode, stdout: output.stdout(), stderr: output.stderr(), requests };
}

describe('usage errors exit with code 2 and a clear message', () => {
  it('missing --tenant', async () => {
    const result = await tessera(['ingest', '.', '--workspace', 'docs']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^error: required option '--tenant <tenant>' not specified\n/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(result.requests, 0);
  });

  it('bad numbers for --batch-size, --concurrency and --expires-in-days', async () => {
    const batch = await tessera(['ingest', '.', '--tenant', 't', '--workspace', 'w', '--batch-size', 'lots']);
    assert.equal(batch.exitCode, 2);
    assert.match(batch.stderr, /option '--batch-size <n>' argument 'lots' is invalid\. Expected a positive whole number\./);
    const concurrency = await tessera(['ingest', '.', '--tenant', 't', '--workspace', 'w', '--concurrency', '0']);
    assert.equal(concurrency.exitCode, 2);
    assert.match(concurrency.stderr, /between 1 and 16/);
    const days = await tessera(['tokens', 'create', '--tenant', 't', '--workspace', 'w', '--subject', 's', '--expires-in-days', '-1']);
    assert.equal(days.exitCode, 2);
  });

  it('a token passed as a flag is refused (it would end up in shell history)', async () => {
    const result = await tessera(['tenants', 'create', '--slug', 's', '--name', 'n', '--token', 'secret']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /unknown option '--token'/);
    assert.ok(!result.stderr.includes('secret'));
  });

  it('no token in the environment', async () => {
    const result = await tessera(['tenants', 'create', '--slug', 's', '--name', 'n'], {});
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^error: no API token: set TESSERA_TOKEN/);
    assert.equal(result.requests, 0);
  });

  it('invalid API URLs from the flag or the environment', async () => {
    const flag = await tessera(['tenants', 'create', '--slug', 's', '--name', 'n', '--api-url', 'ftp://x']);
    assert.equal(flag.exitCode, 2);
    assert.match(flag.stderr, /--api-url <url>.*http:\/\/ or https:\/\//);
    const env = await tessera(['tenants', 'create', '--slug', 's', '--name', 'n'], { TESSERA_TOKEN: 't', TESSERA_API_URL: 'localhost' });
    assert.equal(env.exitCode, 2);
    assert.match(env.stderr, /invalid API URL "localhost" \(from TESSERA_API_URL\)/);
  });

  it('ingest of a path that does not exist, or with a bad --id-prefix', async () => {
    const missing = await tessera(['ingest', '/definitely/not/here', '--tenant', 't', '--workspace', 'w']);
    assert.equal(missing.exitCode, 2);
    assert.equal(missing.stderr, 'error: path not found: /definitely/not/here\n');
    const prefix = await tessera(['ingest', '.', '--tenant', 't', '--workspace', 'w', '--id-prefix', 'KB/']);
    assert.equal(prefix.exitCode, 2);
    assert.match(prefix.stderr, /invalid --id-prefix "KB\/"/);
  });

  it('unknown commands, missing subcommands and empty lists', async () => {
    assert.equal((await tessera(['tenant', 'create'])).exitCode, 2);
    assert.equal((await tessera([])).exitCode, 2);
    const groups = await tessera(['tokens', 'create', '--tenant', 't', '--workspace', 'w', '--subject', 's', '--groups', ' , ']);
    assert.equal(groups.exitCode, 2);
    assert.match(groups.stderr, /comma-separated list/);
  });
});

describe('help', () => {
  it('exits 0 and documents the environment variables', async () => {
    const result = await tessera(['--help']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /TESSERA_TOKEN/);
    const ingest = await tessera(['ingest', '--help']);
    assert.equal(ingest.exitCode, 0);
    assert.match(ingest.stdout, /--dry-run/);
  });
});
