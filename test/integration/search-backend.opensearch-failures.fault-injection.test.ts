/**
 * Faults a real OpenSearch node cannot be made to produce on demand — one _bulk item rejected,
 * 429/503 on chosen requests, a stalled answer, red or yellow health — injected by a proxy in front of
 * the real node (libs/search/testing/opensearch-fault-proxy.ts); every other answer is the engine's.
 * The last suite (a cluster that is down) needs no proxy: nothing listens on the port.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ErrorCode, TesseraError, UnavailableError } from '@tessera/domain';
import { OpenSearchSearchBackend, OpenSearchUnavailableError, PartialUpsertError, prepareDocument, type DocumentInput } from '@tessera/search';
import { startFaultBackend, type FaultBackend } from '../../libs/search/testing/opensearch-fault-harness';
import { realOpenSearchUrl } from '../support/opensearch-node';

const reader = { identifiers: ['someone@example.com'], groups: [] };

describe('OpenSearch faults (injected in front of a real node)', () => {
  let h: FaultBackend;
  // A real write answers at the next refresh (refresh=wait_for, up to 1 s): the bound must exceed it.
  beforeAll(async () => (h = await startFaultBackend(await realOpenSearchUrl(), { requestTimeoutMs: 3_000 })));
  afterAll(async () => h.close());
  beforeEach(() => h.proxy.resetBehaviour());

  const put = (ws: string, ...docs: DocumentInput[]) => h.backend.upsert(ws, docs.map((d) => prepareDocument(d)));
  const ids = async (ws: string, query: string) => (await h.backend.search(ws, { query, reader, limit: 10 })).map((x) => x.id);
  const bulkIds = () =>
    h.proxy.requestsMatching('PUT', /_bulk$/).map((r) => ((r.ndjson ?? []) as Array<{ index?: { _id: string } }>).filter((_, i) => i % 2 === 0).map((line) => line.index!._id.replace(/^[^:]*:/, '')));

  it('keeps the documents OpenSearch accepted and reports each rejected one, in input order', async () => {
    const ws = await h.newWorkspace();
    h.proxy.overrideBulkItems((item) => (item.id === 'bad' ? { status: 400, type: 'mapper_parsing_exception' } : undefined));
    const error = await put(ws, { id: 'one', title: 'Ferry times', text: 'ferry' }, { id: 'bad', title: 'Ferry', text: 'ferry' }, { id: 'two', title: 'Ferry fares', text: 'ferry' }).then(
      () => assert.fail('expected a partial failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PartialUpsertError);
    expect(error.results).toStrictEqual([
      'created',
      { code: ErrorCode.ValidationFailed, message: 'the search index rejected this document (mapper_parsing_exception)' },
      'created',
    ]);
    assert.equal(error.code, ErrorCode.ValidationFailed, 'one failure: its own code, as the tenant API reports a single document');
    expect((await ids(ws, 'ferry')).sort()).toStrictEqual(['one', 'two']);
    // The tenant API retries a failed chunk one document at a time: each line gets its own answer.
    expect(await put(ws, { id: 'one', title: 'Ferry times', text: 'ferry' })).toStrictEqual(['unchanged']);
    await assert.rejects(put(ws, { id: 'bad', title: 'Ferry', text: 'ferry' }), (e: unknown) => e instanceof TesseraError && e.code === ErrorCode.ValidationFailed);
  });

  it('retries only the items refused with 429, with backoff, and then succeeds', async () => {
    const ws = await h.newWorkspace();
    let refusals = 2;
    h.proxy.overrideBulkItems((item) => (item.id === 'busy' && refusals-- > 0 ? { status: 429, type: 'es_rejected_execution_exception' } : undefined));
    expect(await put(ws, { id: 'calm', title: 'A', text: 'alpha' }, { id: 'busy', title: 'B', text: 'beta' })).toStrictEqual(['created', 'created']);
    expect(bulkIds()).toStrictEqual([['calm', 'busy'], ['busy'], ['busy']]);
  });

  it('gives up after a bounded number of attempts and reports the item as retryable', async () => {
    const ws = await h.newWorkspace();
    h.proxy.overrideBulkItems(() => ({ status: 429, type: 'es_rejected_execution_exception' }));
    await assert.rejects(put(ws, { id: 'busy', title: 'B', text: 'beta' }), (e: unknown) => {
      assert.ok(e instanceof TesseraError);
      assert.equal(e.code, ErrorCode.Unavailable);
      assert.match(e.message, /overloaded.*retry later/);
      return true;
    });
    assert.equal(bulkIds().length, 4, 'four attempts in all');
  });

  it('retries a whole _bulk answered 503 and stores every document once', async () => {
    const ws = await h.newWorkspace();
    h.proxy.intercept((r) => (r.path.endsWith('/_bulk') ? { status: 503, body: { error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' }, status: 503 } } : undefined), 2);
    expect(await put(ws, { id: 'a', title: 'A', text: 'gamma' }, { id: 'b', title: 'B', text: 'gamma' })).toStrictEqual(['created', 'created']);
    assert.equal(bulkIds().length, 3);
    expect((await ids(ws, 'gamma')).sort()).toStrictEqual(['a', 'b']);
  });

  it('gives index management more time than a search: a slow alias change on a busy cluster still completes', async () => {
    const ws = crypto.randomUUID();
    let release!: () => void;
    h.proxy.intercept((r) => (r.path === '/_aliases' ? { hold: new Promise<void>((resolve) => (release = resolve)) } : undefined), 1);
    const creating = h.backend.createWorkspace(ws);
    await new Promise((resolve) => setTimeout(resolve, 3_500)); // past the 3 s request bound, on purpose
    release();
    await creating;
    assert.equal((await h.backend.workspacePlacement(ws))?.tier, 'shared');
    await h.backend.dropWorkspace(ws);
  });

  it('reports a connection lost mid-bulk as unavailable; sending the batch again converges, each document once', async () => {
    const docs = [{ id: 'a', title: 'A', text: 'kappa' }, { id: 'b', title: 'B', text: 'kappa' }];
    const lost = (e: unknown) => e instanceof OpenSearchUnavailableError && e.code === ErrorCode.Unavailable && /not reachable/.test(e.message);
    // Cut before the node saw it: nothing stored, the retry creates.
    const before = await h.newWorkspace();
    h.proxy.intercept((r) => (r.path.endsWith('/_bulk') ? 'drop' : undefined), 1);
    await assert.rejects(put(before, ...docs), lost);
    expect(await put(before, ...docs)).toStrictEqual(['created', 'created']);
    // Cut after the node applied it: the retry finds the same content and writes nothing twice.
    const after = await h.newWorkspace();
    h.proxy.intercept((r) => (r.path.endsWith('/_bulk') ? 'drop-after-forward' : undefined), 1);
    await assert.rejects(put(after, ...docs), lost);
    expect(await put(after, ...docs)).toStrictEqual(['unchanged', 'unchanged']);
    for (const ws of [before, after]) expect((await ids(ws, 'kappa')).sort()).toStrictEqual(['a', 'b']);
  });

  it('rejects within the configured timeout when OpenSearch hangs, with an error safe to log', async () => {
    const ws = await h.newWorkspace();
    const impatient = h.adapter({ requestTimeoutMs: 400 });
    h.proxy.intercept((r) => (r.path.startsWith(`/tessera-${ws}/`) ? 'stall' : undefined));
    const started = Date.now();
    const secret = 'what is the salary of ana@example.com';
    const error = await impatient.search(ws, { query: secret, reader, limit: 5 }).catch((e: unknown) => e);
    assert.ok(error instanceof OpenSearchUnavailableError, String(error));
    assert.ok(error instanceof UnavailableError, 'the one outage error every backend raises (503 + Retry-After at the API)');
    assert.ok(Date.now() - started < 1_500, `took ${Date.now() - started} ms`);
    assert.equal(error.code, ErrorCode.Unavailable);
    assert.match(error.message, /temporarily unavailable \(search: timed out\)/);
    const serialized = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    assert.ok(!serialized.includes('salary') && error.cause === undefined, 'no query text, no client error inside');
    await assert.rejects(impatient.get(ws, 'x', reader), OpenSearchUnavailableError);
    await assert.rejects(impatient.upsert(ws, [prepareDocument({ id: 'x', title: 'X', text: 'x' })]), OpenSearchUnavailableError, 'writes are bounded too');
  });

  it('answers readiness from cluster health: red or silent is down', async () => {
    await h.backend.ping();
    const health = (status: string) => (r: { path: string }) => (r.path === '/_cluster/health' ? { status: 200, body: { cluster_name: 'x', status } } : undefined);
    h.proxy.intercept(health('yellow'), 1);
    await h.backend.ping();
    h.proxy.intercept(health('red'), 1);
    await assert.rejects(h.backend.ping(), /cluster health is red/);
    h.proxy.intercept((r) => (r.path === '/_cluster/health' ? 'stall' : undefined));
    await assert.rejects(h.backend.ping(), /timed out/);
  });

  it('sends each workspace its own credentials, and index management the service account', async () => {
    // The node has no security plugin, so it ignores the credentials; what is checked is who sends what.
    const a = await h.newWorkspace();
    const b = await h.newWorkspace();
    const scoped = h.adapter({
      auth: { username: 'tessera', password: 'service-secret' },
      workspaceCredentials: (id) => (id === a ? { username: 'tessera-ws-a', password: 'a-secret' } : null),
    });
    h.proxy.resetBehaviour();
    await scoped.upsert(a, [prepareDocument({ id: 'd', title: 'D', text: 'delta' })]);
    await scoped.rebalancesIdle(); // the write's background size check: index management, so the service account
    await scoped.search(b, { query: 'delta', reader, limit: 1 });
    await scoped.rebalanceWorkspace(a);
    const user = (header: string | undefined) => Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')[0];
    expect(h.proxy.requests.map((r) => `${r.method} ${r.path.replace(a, 'A').replace(b, 'B').split('/').slice(0, 3).join('/')} ${user(r.authorization)}`)).toStrictEqual([
      'POST /tessera-A/_mget tessera-ws-a',
      'PUT /tessera-A/_bulk tessera-ws-a',
      'GET /_alias/tessera-A tessera',
      'GET /tessera-A/_count tessera',
      'POST /tessera-B/_search tessera',
      'GET /_alias/tessera-A tessera',
      'GET /tessera-A/_count tessera',
    ]);
  });
});

describe('OpenSearch faults: a cluster that is down', () => {
  it('rejects every call quickly with a retryable error, so the gateway says "temporarily unavailable"', async () => {
    const port = await closedPort();
    const backend = new OpenSearchSearchBackend({ node: `http://127.0.0.1:${port}`, requestTimeoutMs: 3_000 });
    const started = Date.now();
    for (const call of [
      () => backend.search('ws', { query: 'anything', reader, limit: 5 }),
      () => backend.get('ws', 'id', reader),
      () => backend.upsert('ws', [prepareDocument({ id: 'x', title: 'X', text: 'x' })]),
      () => backend.delete('ws', 'x'),
      () => backend.ping(),
    ]) {
      await assert.rejects(call(), (e: unknown) => e instanceof OpenSearchUnavailableError && /not reachable/.test(e.message));
    }
    assert.ok(Date.now() - started < 2_000);
    await backend.onApplicationShutdown();
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
