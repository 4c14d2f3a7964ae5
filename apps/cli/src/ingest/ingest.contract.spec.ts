import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { run } from '../main';
import { captureIo, FAST_RETRY } from '../testing/capture-io';
import { startFakeTesseraApi, type FakeTesseraApi, type FakeTesseraApiOptions, type RecordedRequest } from '../testing/fake-tessera-api';

const TOKEN = 'tsk_tenant_key_for_tests';
const MODIFIED = new Date('2024-03-01T12:00:00.000Z');

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    await utimes(file, MODIFIED, MODIFIED);
  }
}

/** Every NDJSON line the fake received, by document id (last one wins, as on the server). */
function sentDocuments(requests: RecordedRequest[]): Map<string, Record<string, unknown>> {
  const documents = new Map<string, Record<string, unknown>>();
  for (const request of requests) {
    assert.equal(request.headers['content-type'], 'application/x-ndjson');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.ok(request.body.endsWith('\n'), 'each NDJSON line ends with a newline');
    for (const line of request.body.trimEnd().split('\n')) {
      const document = JSON.parse(line) as Record<string, unknown>;
      documents.set(String(document.id), document);
    }
  }
  return documents;
}

const MIXED_TREE: Record<string, string> = {
  'guide.md': '---\ntitle: Getting Started\nauthor: ops\n---\n# Ignored heading\nWelcome aboard.\n',
  'Guide.txt': 'Plain text guide whose id clashes with guide.md.\n',
  'reference/api.html': '<html><head><title>API Reference</title></head><body><h1>API</h1><p>GET /v1</p></body></html>',
  'reference/Release Notes.markdown': 'Intro line\n\n# Release Notes\n- fixed things\n',
  'faq.jsonl':
    '{"id":"faq-1","title":"How do I log in?","text":"Use SSO."}\n' +
    '{"id":"faq-2", "title": oops}\n' +
    '\n' +
    '{"id":"faq-3","title":"Where are invoices?","html":"<p>Billing page</p>","url":"https://help.example.com/invoices"}\n',
  'bundle.json': JSON.stringify([
    { id: 'policy-leave', title: 'Leave policy', text: '25 days.' },
    { id: 'policy-travel', title: 'Travel policy', text: 'Economy.', acl: { users: ['ceo@example.com'] } },
  ]),
  'broken.json': '{"id": "half',
  'logo.png': 'not really a png',
  '.drafts/secret.md': '# Secret',
  'node_modules/pkg/readme.md': '# Dependency',
};

describe('tessera ingest end to end against a fake of the Tessera API', () => {
  let workdir: string;
  let api: FakeTesseraApi | undefined;

  beforeAll(async () => {
    workdir = await mkdtemp(path.join(tmpdir(), 'tessera-ingest-'));
  });
  afterAll(() => rm(workdir, { recursive: true, force: true }));
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function startApi(options: Partial<FakeTesseraApiOptions> = {}): Promise<FakeTesseraApi> {
    api = await startFakeTesseraApi({ token: TOKEN, existing: ['acme', 'acme/docs'], ...options });
    return api;
  }

  async function tree(name: string, files: Record<string, string>): Promise<string> {
    const root = path.join(workdir, name);
    await writeTree(root, files);
    return root;
  }

  async function ingest(args: string[], apiUrl = api?.url ?? 'http://127.0.0.1:9', token = TOKEN) {
    const output = captureIo();
    const exitCode = await run(['ingest', ...args, '--tenant', 'acme', '--workspace', 'docs', '--api-url', apiUrl], {
      io: output.io,
      env: { TESSERA_TOKEN: token },
      retry: FAST_RETRY,
      progressIntervalMs: 0,
    });
    assert.ok(!(output.stdout() + output.stderr()).includes(token), 'the token must never be printed');
    return { exitCode, stdout: output.stdout(), stderr: output.stderr() };
  }

  it('derives, batches and sends a mixed directory, then summarises with exit code 1 for bad entries', async () => {
    const server = await startApi();
    const root = await tree('mixed', MIXED_TREE);
    // The first request hits a 503; the batch is resent and the run still completes.
    server.scriptNext({ status: 503, body: { code: 'unavailable', message: 'warming up' } });

    const result = await ingest([root, '--batch-size', '3', '--groups', 'eng', '--url-base', 'https://kb.example.com/handbook/']);

    const bulk = server.bulkRequests();
    assert.equal(bulk.length, 4, '3 batches of at most 3 documents, plus one retry');
    assert.ok(bulk.every((request) => request.path === '/v1/tenants/acme/workspaces/docs/documents:bulk'));
    assert.ok(bulk.every((request) => request.body.trimEnd().split('\n').length <= 3));

    const documents = sentDocuments(bulk);
    const guideTxtId = [...documents.keys()].find((id) => /^guide-[0-9a-f]{8}$/.test(id));
    assert.ok(guideTxtId, 'Guide.txt clashes with guide.md and gets a hashed id');
    expect([...documents.keys()].sort()).toStrictEqual(['faq-1', 'faq-3', 'guide', guideTxtId, 'policy-leave', 'policy-travel', 'reference-api', 'reference-release-notes'].sort());
    expect(documents.get('guide')).toStrictEqual({
      id: 'guide',
      title: 'Getting Started',
      text: '# Ignored heading\nWelcome aboard.\n',
      url: 'https://kb.example.com/handbook/guide.md',
      metadata: { source_path: 'guide.md', modified: MODIFIED.toISOString() },
      acl: { groups: ['eng'] },
    });
    assert.equal(documents.get(guideTxtId)?.title, 'Guide');
    const api_ = documents.get('reference-api');
    assert.equal(api_?.title, 'API Reference');
    assert.match(String(api_?.html), /<p>GET \/v1<\/p>/);
    assert.equal(api_?.text, undefined);
    assert.equal(documents.get('reference-release-notes')?.title, 'Release Notes');
    assert.equal(documents.get('reference-release-notes')?.url, 'https://kb.example.com/handbook/reference/Release%20Notes.markdown');
    // JSON documents keep their own fields; --groups only fills in a missing acl.
    expect(documents.get('policy-travel')?.acl).toStrictEqual({ users: ['ceo@example.com'] });
    expect(documents.get('policy-leave')?.acl).toStrictEqual({ groups: ['eng'] });
    assert.equal(documents.get('faq-3')?.url, 'https://help.example.com/invoices');
    assert.equal(documents.get('faq-1')?.metadata, undefined);

    assert.equal(result.exitCode, 1);
    // broken.json was read; its content is what failed (like a bad .jsonl line).
    assert.match(result.stdout, /files read: +7\n/);
    assert.match(result.stdout, /skipped: +1\n/);
    assert.match(result.stdout, /documents: +8 sent in 3 batches\n/);
    assert.match(result.stdout, /created: +8\n/);
    assert.match(result.stdout, /updated: +0\n/);
    assert.match(result.stdout, /unchanged: +0\n/);
    assert.match(result.stdout, /failed: +2\n/);
    assert.ok(result.stdout.includes(`  ${path.join(root, 'broken.json')}: invalid JSON`));
    assert.ok(result.stdout.includes(`  ${path.join(root, 'faq.jsonl')}:2: invalid JSON`));
    assert.match(result.stderr, /warming up \(unavailable, HTTP 503\); retrying in [\d.]+s \(attempt 2 of 5\)/);
    assert.match(result.stderr, /progress: \d+\/7 files/);

    // Upserts are idempotent: a second run reports unchanged, and an edit as updated.
    await writeFile(path.join(root, 'guide.md'), '# Getting Started\nEdited.\n');
    await utimes(path.join(root, 'guide.md'), MODIFIED, MODIFIED);
    const again = await ingest([root, '--groups', 'eng', '--url-base', 'https://kb.example.com/handbook/']);
    assert.match(again.stdout, /updated: +1\n/);
    assert.match(again.stdout, /unchanged: +7\n/);
    assert.equal(again.exitCode, 1, 'the broken files still fail');
  });

  it('exits 0 when everything is ingested, and lists per-document server failures with path and id', async () => {
    const root = await tree('clean', { 'a.md': '# A\n', 'b.md': '# B\n', 'c.txt': 'c' });
    await startApi();
    const ok = await ingest([root]);
    assert.equal(ok.exitCode, 0);
    assert.match(ok.stdout, /created: +3\n/);
    assert.doesNotMatch(ok.stdout, /Failures/);

    await api?.close();
    await startApi({ rejectIds: ['kb-b'] });
    const rejected = await ingest([root, '--id-prefix', 'kb-']);
    assert.equal(rejected.exitCode, 1);
    assert.match(rejected.stdout, /created: +2\n/);
    assert.ok(rejected.stdout.includes(`  ${path.join(root, 'b.md')} (kb-b): rejected by test policy (rejected)\n`));
  });

  it('reports a batch as failed after five transient errors and carries on with the next batch', async () => {
    const root = await tree('outage', { 'a.md': 'a', 'b.md': 'b', 'c.md': 'c', 'd.md': 'd' });
    const server = await startApi();
    const outage = { status: 503, body: { code: 'unavailable', message: 'maintenance' } };
    server.scriptNext(outage, outage, outage, outage, outage);
    const result = await ingest([root, '--batch-size', '2', '--concurrency', '1']);
    assert.equal(server.bulkRequests().length, 6);
    assert.equal(result.exitCode, 1);
    assert.match(result.stdout, /created: +2\n/);
    assert.match(result.stdout, /failed: +2\n/);
    assert.ok(result.stdout.includes(`${path.join(root, 'a.md')} (a): not ingested: maintenance (unavailable, HTTP 503)`));
  });

  it('does not retry a 400 and fails only that batch', async () => {
    const root = await tree('bad-request', { 'a.md': 'a', 'b.md': 'b' });
    const server = await startApi();
    server.scriptNext({ status: 400, body: { code: 'invalid_ndjson', message: 'cannot parse body' } });
    const result = await ingest([root, '--batch-size', '1', '--concurrency', '1']);
    assert.equal(server.bulkRequests().length, 2);
    assert.match(result.stdout, /created: +1\n/);
    assert.match(result.stdout, /cannot parse body \(invalid_ndjson, HTTP 400\)/);
    assert.equal(result.exitCode, 1);
  });

  it('splits a batch the server rejects as too large (413)', async () => {
    const root = await tree('large', Object.fromEntries(['a', 'b', 'c', 'd'].map((id) => [`${id}.txt`, id.repeat(600)])));
    const server = await startApi({ maxBulkBytes: 1500 });
    const result = await ingest([root]);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /created: +4\n/);
    expect(server.bulkRequests().map((request) => request.body.trimEnd().split('\n').length)).toStrictEqual([4, 2, 2]);
  });

  it('stops early on 401 instead of sending every batch into the same wall', async () => {
    const root = await tree('unauthorized', { 'a.md': 'a', 'b.md': 'b', 'c.md': 'c' });
    const server = await startApi();
    const result = await ingest([root, '--batch-size', '1', '--concurrency', '1'], server.url, 'tsk_revoked_key');
    assert.equal(server.bulkRequests().length, 1);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /error: missing or invalid API token \(unauthorized, HTTP 401\); stopped early/);
  });

  it('--dry-run lists ids and titles without calling the API or needing a token', async () => {
    const root = await tree('dry', MIXED_TREE);
    const server = await startApi();
    const output = captureIo();
    const exitCode = await run(['ingest', root, '--tenant', 'acme', '--workspace', 'docs', '--dry-run', '--api-url', server.url], {
      io: output.io,
      env: {},
    });
    assert.equal(server.requests.length, 0);
    assert.match(output.stdout(), /^ {2}guide {2}"Getting Started" {2}<- .*guide\.md$/m);
    assert.match(output.stdout(), /^ {2}reference-api {2}"API Reference"/m);
    assert.match(output.stdout(), /Dry run: nothing was sent\./);
    assert.match(output.stdout(), /documents: +8 would be sent in 1 batch\n/);
    assert.equal(exitCode, 1, 'invalid JSON is still a failure in a dry run');
  });
});
