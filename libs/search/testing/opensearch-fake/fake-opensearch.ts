import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeCluster } from './fake-cluster';
import { FakeDocuments, type BulkItemOverride } from './fake-documents';
import { badRequest, FakeError } from './fake-errors';
import { routeRequest } from './fake-routes';

/** One HTTP request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path with each segment URL-decoded, e.g. `/tessera-…/_doc/a b`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  /** Parsed JSON body, when there is one and it is not NDJSON. */
  readonly body: unknown;
  /** Parsed NDJSON lines of a `_bulk` body. */
  readonly ndjson: readonly unknown[] | undefined;
}

/**
 * What a test may make the fake do instead of answering normally: reply with this, hang forever, drop
 * the connection, or hold the request until a promise settles and then answer it normally.
 */
export type Interception = { status: number; body: unknown } | { hold: Promise<unknown> } | 'stall' | 'drop' | undefined;

/**
 * A local stand-in for an OpenSearch cluster, for contract tests: an HTTP server on 127.0.0.1 that
 * records every request and answers like OpenSearch 2.x — index and alias management, _bulk with
 * per-item results, _mget, _doc, _update, _search with BM25 ranking, _reindex, cluster health.
 * It is not OpenSearch: analysis is the product's own, refreshes are never scheduled, and queries
 * outside the subset it implements are refused with a 400 rather than approximated.
 */
export class FakeOpenSearch {
  readonly cluster = new FakeCluster();
  readonly documents = new FakeDocuments(this.cluster);
  readonly requests: RecordedRequest[] = [];
  private readonly interceptors: Array<{ handler: (request: RecordedRequest) => Interception; remaining: number }> = [];
  private readonly stalled = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOpenSearch> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeOpenSearch(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => void fake.handle(request, response));
    return fake;
  }

  /** Runs `handler` on each request (up to `times`); a non-undefined answer replaces OpenSearch's. */
  intercept(handler: (request: RecordedRequest) => Interception, times = Number.POSITIVE_INFINITY): void {
    this.interceptors.push({ handler, remaining: times });
  }

  /** Makes `_bulk` refuse single items, as a node does under load (429) or on a mapping error (400). */
  overrideBulkItems(override: BulkItemOverride | undefined): void {
    this.documents.bulkItemOverride = override;
  }

  /** Forgets recorded requests, interceptors and item overrides; keeps indices and documents. */
  resetBehaviour(): void {
    this.requests.length = 0;
    this.interceptors.length = 0;
    this.documents.bulkItemOverride = undefined;
  }

  requestsMatching(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  async close(): Promise<void> {
    for (const response of this.stalled) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://fake');
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let recorded: RecordedRequest;
    try {
      recorded = record(request, segments, url, raw);
    } catch (error) {
      return send(response, request.method, 400, (error as FakeError).body());
    }
    this.requests.push(recorded);

    const interception = this.intercepted(recorded);
    if (interception === 'stall') {
      this.stalled.add(response);
      response.on('close', () => this.stalled.delete(response));
      return;
    }
    if (interception === 'drop') return void request.socket.destroy();
    if (interception && 'status' in interception) return send(response, request.method, interception.status, interception.body);
    if (interception) await interception.hold;

    try {
      const { status, body } = routeRequest(this, recorded, segments);
      send(response, request.method, status, body);
    } catch (error) {
      if (!(error instanceof FakeError)) throw error;
      send(response, request.method, error.status, error.body());
    }
  }

  private intercepted(request: RecordedRequest): Interception {
    for (const interceptor of this.interceptors) {
      if (interceptor.remaining <= 0) continue;
      const answer = interceptor.handler(request);
      if (answer !== undefined) {
        interceptor.remaining--;
        return answer;
      }
    }
    return undefined;
  }
}

function record(request: IncomingMessage, segments: string[], url: URL, raw: string): RecordedRequest {
  const isBulk = segments[segments.length - 1] === '_bulk';
  let body: unknown;
  let ndjson: unknown[] | undefined;
  try {
    if (isBulk) ndjson = raw.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
    else if (raw.trim() !== '') body = JSON.parse(raw);
  } catch {
    throw badRequest('Failed to parse the request body as JSON', 'json_parse_exception');
  }
  return {
    method: request.method ?? 'GET',
    path: `/${segments.join('/')}`,
    query: Object.fromEntries(url.searchParams),
    authorization: request.headers.authorization,
    body,
    ndjson,
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, method: string | undefined, status: number, body: unknown): void {
  const text = method === 'HEAD' || body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
