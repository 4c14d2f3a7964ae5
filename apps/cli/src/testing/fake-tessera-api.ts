import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of the Tessera HTTP API for contract tests: a real HTTP server on
 * 127.0.0.1 that records every request and answers as the API contract
 * describes (201 creates, `{code, message}` errors, `documents:bulk` NDJSON
 * with per-line results). Scripted responses simulate outages.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeTesseraApiOptions {
  token: string;
  /** `tenant` or `tenant/workspace` entries that exist from the start. */
  existing?: string[];
  /** Bulk bodies above this get 413, like the real ~10 MB limit. */
  maxBulkBytes?: number;
  /** Document ids the fake refuses, to exercise per-line failures. */
  rejectIds?: string[];
}

export interface FakeTesseraApi {
  url: string;
  requests: RecordedRequest[];
  bulkRequests(): RecordedRequest[];
  /** Answers the next requests (in order) with these instead of the normal handler. */
  scriptNext(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

const DOCUMENT_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export async function startFakeTesseraApi(options: FakeTesseraApiOptions): Promise<FakeTesseraApi> {
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const existing = new Set(options.existing ?? []);
  const stored = new Map<string, string>();
  let nextId = 1;

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      const script = scripted.shift();
      if (script) return send(res, script.status, script.body, script.headers);
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        return send(res, 401, { code: 'unauthorized', message: 'missing or invalid API token' });
      }
      route(request, res);
    });
  });

  function route(request: RecordedRequest, res: ServerResponse): void {
    const segments = request.path.split('?')[0].split('/').slice(1).map(decodeURIComponent);
    const [v1, tenants, tenant, workspaces, workspace, action] = segments;
    if (request.method !== 'POST' || v1 !== 'v1' || tenants !== 'tenants') {
      return send(res, 404, { code: 'not_found', message: `no route for ${request.method} ${request.path}` });
    }
    if (segments.length === 2) return createTenant(request, res);
    if (!existing.has(tenant)) return send(res, 404, { code: 'tenant_not_found', message: `tenant "${tenant}" not found` });
    if (segments.length === 4 && workspaces === 'workspaces') return createWorkspace(tenant, request, res);
    if (segments.length === 6 && workspaces === 'workspaces') {
      if (!existing.has(`${tenant}/${workspace}`)) {
        return send(res, 404, { code: 'workspace_not_found', message: `workspace "${workspace}" not found` });
      }
      if (action === 'access-tokens') return createAccessToken(request, res);
      if (action === 'documents:bulk') return bulkUpsert(`${tenant}/${workspace}`, request, res);
    }
    send(res, 404, { code: 'not_found', message: `no route for ${request.path}` });
  }

  function createTenant(request: RecordedRequest, res: ServerResponse): void {
    const { slug, name } = JSON.parse(request.body) as { slug: string; name: string };
    if (existing.has(slug)) return send(res, 409, { code: 'conflict', message: `tenant "${slug}" already exists` });
    existing.add(slug);
    send(res, 201, { id: `ten_${nextId++}`, slug, name, apiKey: `tsk_secret_${slug}` });
  }

  function createWorkspace(tenant: string, request: RecordedRequest, res: ServerResponse): void {
    const { slug, name } = JSON.parse(request.body) as { slug: string; name: string };
    existing.add(`${tenant}/${slug}`);
    const connectorUrl = `https://connectors.example.test/mcp/${tenant}/${slug}`;
    send(res, 201, { id: `ws_${nextId++}`, slug, name, connectorUrl });
  }

  function createAccessToken(request: RecordedRequest, res: ServerResponse): void {
    const { subject, groups, expiresInDays } = JSON.parse(request.body) as {
      subject: string;
      groups?: string[];
      expiresInDays?: number;
    };
    const expiresAt = expiresInDays ? new Date(Date.UTC(2030, 0, 1 + expiresInDays)).toISOString() : null;
    send(res, 201, { id: `tok_${nextId++}`, token: `tat_secret_${subject}`, subject, groups: groups ?? [], expiresAt });
  }

  function bulkUpsert(scope: string, request: RecordedRequest, res: ServerResponse): void {
    if (!String(request.headers['content-type']).startsWith('application/x-ndjson')) {
      return send(res, 415, { code: 'unsupported_media_type', message: 'expected application/x-ndjson' });
    }
    if (options.maxBulkBytes !== undefined && Buffer.byteLength(request.body) > options.maxBulkBytes) {
      return send(res, 413, { code: 'payload_too_large', message: 'request body too large' });
    }
    const lines = request.body.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const results = lines.map((line, index) => upsertLine(scope, line, index + 1));
    const count = (status: string) => results.filter((result) => result.status === status).length;
    const summary = {
      received: results.length,
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      failed: count('failed'),
    };
    send(res, 200, { summary, results });
  }

  function upsertLine(scope: string, line: string, lineNumber: number) {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { line: lineNumber, status: 'failed', error: { code: 'invalid_json', message: 'line is not valid JSON' } };
    }
    const id = typeof doc.id === 'string' ? doc.id : undefined;
    const invalid =
      !id || !DOCUMENT_ID.test(id) || typeof doc.title !== 'string' || (typeof doc.text === 'string') === (typeof doc.html === 'string');
    if (invalid) {
      return { line: lineNumber, id, status: 'failed', error: { code: 'invalid_document', message: 'document is invalid' } };
    }
    if (options.rejectIds?.includes(id)) {
      return { line: lineNumber, id, status: 'failed', error: { code: 'rejected', message: 'rejected by test policy' } };
    }
    const key = `${scope}/${id}`;
    const previous = stored.get(key);
    stored.set(key, line);
    const status = previous === undefined ? 'created' : previous === line ? 'unchanged' : 'updated';
    return { line: lineNumber, id, status };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bulkRequests: () => requests.filter((request) => request.path.endsWith('/documents:bulk')),
    scriptNext: (...responses) => void scripted.push(...responses),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = typeof body === 'string' ? 'text/html' : 'application/json';
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(text);
}
