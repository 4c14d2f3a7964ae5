import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ApiClient, ApiError, NetworkError, isTransientError, withRetry } from './api-client';
import { describeError } from './report-error';
import { startFakeTesseraApi, type FakeTesseraApi } from './testing/fake-tessera-api';

const TOKEN = 'tsk_contract_token';

describe('ApiClient against a fake of the Tessera API (local HTTP server)', () => {
  let api: FakeTesseraApi;
  let client: ApiClient;
  let sleeps: number[];
  const retryOptions = () => ({
    shouldRetry: isTransientError,
    baseDelayMs: 5,
    random: () => 0.5,
    sleep: async (ms: number) => void sleeps.push(ms),
  });

  beforeAll(async () => {
    api = await startFakeTesseraApi({ token: TOKEN });
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
    sleeps = [];
    client = new ApiClient({ baseUrl: `${api.url}/`, token: TOKEN });
  });

  it('sends the bearer token and JSON body, and parses the 201 response', async () => {
    const tenant = await client.postJson<{ slug: string; apiKey: string }>('/v1/tenants', { slug: 'acme', name: 'Acme' });
    assert.equal(tenant.slug, 'acme');
    assert.equal(tenant.apiKey, 'tsk_secret_acme');
    const [request] = api.requests;
    assert.equal(request.path, '/v1/tenants');
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(request.headers['content-type'], 'application/json');
    expect(JSON.parse(request.body)).toStrictEqual({ slug: 'acme', name: 'Acme' });
  });

  it('turns {code, message} error bodies into ApiError and formats them for users', async () => {
    const error = await new ApiClient({ baseUrl: api.url, token: 'wrong' })
      .postJson('/v1/tenants', { slug: 'x', name: 'x' })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'unauthorized');
    assert.equal(describeError(error), 'missing or invalid API token (unauthorized, HTTP 401)');
    assert.ok(!describeError(error).includes('wrong'), 'the token must never appear in messages');
  });

  it('keeps a readable message for non-JSON error pages from proxies', async () => {
    api.scriptNext({ status: 502, body: '<html><body>Bad Gateway</body></html>' });
    const error = await client.postJson('/v1/tenants', {}).catch((caught: unknown) => caught);
    assert.ok(error instanceof ApiError);
    assert.equal(describeError(error), 'Bad Gateway (http_502, HTTP 502)');
  });

  it('retries a 503 with growing backoff and then succeeds', async () => {
    api.scriptNext(
      { status: 503, body: { code: 'unavailable', message: 'try later' } },
      { status: 503, body: { code: 'unavailable', message: 'try later' } },
    );
    const tenant = await withRetry(() => client.postJson<{ slug: string }>('/v1/tenants', { slug: 'retry', name: 'R' }), retryOptions());
    assert.equal(tenant.slug, 'retry');
    assert.equal(api.requests.length, 3);
    expect(sleeps).toStrictEqual([4, 8]);
    // The same body is sent on every attempt.
    assert.equal(new Set(api.requests.map((request) => request.body)).size, 1);
  });

  it('honours Retry-After on 429', async () => {
    api.scriptNext({ status: 429, body: { code: 'rate_limited', message: 'slow down' }, headers: { 'retry-after': '2' } });
    await withRetry(() => client.postJson('/v1/tenants', { slug: 'ra', name: 'R' }), retryOptions());
    assert.equal(api.requests.length, 2);
    expect(sleeps).toStrictEqual([2000]);
  });

  it('does not retry a 400', async () => {
    api.scriptNext({ status: 400, body: { code: 'invalid_request', message: 'slug is required' } });
    const error = await withRetry(() => client.postJson('/v1/tenants', {}), retryOptions()).catch((caught: unknown) => caught);
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 400);
    assert.equal(api.requests.length, 1);
    expect(sleeps).toStrictEqual([]);
  });

  it('gives up after five attempts of a persistent 503', async () => {
    const outage = { status: 503, body: { code: 'unavailable', message: 'down' } };
    api.scriptNext(outage, outage, outage, outage, outage, outage);
    await assert.rejects(withRetry(() => client.postJson('/v1/tenants', {}), retryOptions()), /down/);
    assert.equal(api.requests.length, 5);
  });

  it('reports an unreachable server as a transient NetworkError', async () => {
    const closed = await startFakeTesseraApi({ token: TOKEN });
    await closed.close();
    const error = await new ApiClient({ baseUrl: closed.url, token: TOKEN }).postJson('/v1/tenants', {}).catch((caught: unknown) => caught);
    assert.ok(error instanceof NetworkError);
    assert.equal(error.systemCode, 'ECONNREFUSED');
    assert.match(error.message, /could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    assert.ok(isTransientError(error));
  });
});
