import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One request as the adapter sent it. */
export interface RecordedRequest {
  readonly method: string;
  /** Decoded path, without the query string. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body?: unknown;
  /** `_bulk` bodies, one parsed JSON value per line. */
  readonly ndjson?: unknown[];
  readonly authorization?: string;
}

/**
 * What to do with a request instead of forwarding it: never answer (`stall`), cut the connection
 * (`drop`), forward it and cut the connection instead of answering (`drop-after-forward`: the node
 * applied it, the client never hears), answer this instead, or forward it once `hold` resolves.
 */
export type Interception = 'stall' | 'drop' | 'drop-after-forward' | { status: number; body: unknown } | { hold: Promise<void> };

/** A `_bulk` item to refuse instead of forwarding: the status and error type OpenSearch would give. */
export type BulkItemOverride = { status: number; type: string; reason?: string } | undefined;

/**
 * An HTTP proxy in front of a real OpenSearch node that records every request and injects the faults
 * a real node cannot be made to produce on demand: a stalled or cut request, an error answer, a
 * request held back, one `_bulk` item refused. Everything else is the real engine's answer.
 */
export class OpenSearchFaultProxy {
  readonly requests: RecordedRequest[] = [];
  private interceptions: Array<{ match: (r: RecordedRequest) => Interception | undefined; remaining: number }> = [];
  private bulkOverride: ((item: { id: string }) => BulkItemOverride) | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
  private port = 0;

  private constructor(private readonly target: URL) {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(target: string): Promise<OpenSearchFaultProxy> {
    const proxy = new OpenSearchFaultProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  requestsMatching(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Applies `match` to the next requests, `times` times in all (default: every time). */
  intercept(match: (r: RecordedRequest) => Interception | undefined, times = Infinity): void {
    this.interceptions.push({ match, remaining: times });
  }

  /** Refuses the `_bulk` items for which `override` returns a status; `id` is the document's own id. */
  overrideBulkItems(override: (item: { id: string }) => BulkItemOverride): void {
    this.bulkOverride = override;
  }

  /** Forgets recorded requests, interceptions and overrides. */
  resetBehaviour(): void {
    this.requests.length = 0;
    this.interceptions = [];
    this.bulkOverride = undefined;
  }

  async close(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const text = raw.toString('utf8');
    const isNdjson = /_bulk$/.test(url.pathname);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      ...(text && !isNdjson ? { body: JSON.parse(text) as unknown } : {}),
      ...(text && isNdjson ? { ndjson: text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown) } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    this.requests.push(recorded);

    const interception = this.nextInterception(recorded);
    if (interception === 'stall') return; // the socket stays open until the client gives up or close()
    if (interception === 'drop') return void req.socket.destroy();
    if (interception === 'drop-after-forward') {
      await this.forward(req, raw);
      return void req.socket.destroy();
    }
    if (interception && 'status' in interception) return send(res, interception.status, interception.body);
    if (interception && 'hold' in interception) await interception.hold;

    if (isNdjson && this.bulkOverride && recorded.ndjson) return this.forwardBulk(req, res, recorded.ndjson);
    const answer = await this.forward(req, raw);
    res.writeHead(answer.status, { 'content-type': answer.contentType });
    res.end(answer.body);
  }

  private nextInterception(request: RecordedRequest): Interception | undefined {
    for (const entry of this.interceptions) {
      if (entry.remaining <= 0) continue;
      const answer = entry.match(request);
      if (answer === undefined) continue;
      entry.remaining--;
      return answer;
    }
    return undefined;
  }

  /** Forwards the bulk without the overridden items and splices their refusals into the answer, in order. */
  private async forwardBulk(req: IncomingMessage, res: ServerResponse, lines: unknown[]): Promise<void> {
    const refusals: Array<BulkItemOverride> = [];
    const kept: unknown[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const action = lines[i] as Record<string, { _id: string }>;
      const op = Object.keys(action)[0]!;
      const documentId = action[op]!._id.replace(/^[^:]*:/, '');
      const refusal = this.bulkOverride!({ id: documentId });
      refusals.push(refusal);
      if (!refusal) kept.push(lines[i], lines[i + 1]);
    }
    const forwarded = kept.length > 0 ? JSON.parse((await this.forward(req, Buffer.from(`${kept.map((l) => JSON.stringify(l)).join('\n')}\n`))).body.toString('utf8')) : { items: [] };
    const items: unknown[] = [];
    let next = 0;
    refusals.forEach((refusal, i) => {
      const action = lines[i * 2] as Record<string, { _id: string }>;
      const op = Object.keys(action)[0]!;
      if (refusal) items.push({ [op]: { _id: action[op]!._id, status: refusal.status, error: { type: refusal.type, reason: refusal.reason ?? 'injected' } } });
      else items.push((forwarded.items as unknown[])[next++]);
    });
    send(res, 200, { took: 1, errors: true, items });
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; contentType: string; body: Buffer }> {
    return new Promise((resolve, reject) => {
      // Uncompressed answers, so that a _bulk answer can be read and patched.
      const { 'accept-encoding': _encoding, ...rest } = req.headers;
      const headers = { ...rest, host: this.target.host, 'content-length': String(body.length) };
      const upstream = httpRequest({ host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers }, async (response) => {
        resolve({ status: response.statusCode ?? 502, contentType: String(response.headers['content-type'] ?? 'application/json'), body: await readAll(response) });
      });
      upstream.once('error', reject);
      upstream.end(body);
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
