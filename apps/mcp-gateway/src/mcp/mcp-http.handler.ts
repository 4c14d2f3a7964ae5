import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isSlug, Principal, WorkspaceContext } from '@tessera/domain';
import { context, trace } from '@opentelemetry/api';
import { mcpOutcomeForStatus, SpanKind, TesseraMetrics, tracer, workspaceKey } from '@tessera/observability';
import { PLATFORM_CONFIG, type PlatformConfig, type RawRequestHandler } from '@tessera/server';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { bearerChallenge, protectedResourceMetadata } from '../resource/protected-resource';
import { ConnectorRateLimits } from '../guard/connector-rate-limits';
import { BearerAuthenticator } from '../verification/bearer-authenticator';
import { WorkspaceResolver } from '../workspace/workspace-resolver';
import { errorMessage, JsonRpcErrorCode, parseMessage } from './json-rpc';
import { McpProtocol, SUPPORTED_PROTOCOL_VERSIONS } from './mcp-protocol';
import { readBody } from './read-body';

const CONNECTOR_PATH = /^\/mcp\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/;
const METADATA_PATH = /^\/\.well-known\/oauth-protected-resource\/mcp\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/;
const MAX_BATCH = 20;
const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };
const CORS_ALLOW_HEADERS = 'authorization, content-type, accept, mcp-protocol-version, mcp-session-id, last-event-id';

/**
 * The MCP endpoint (Streamable HTTP, stateless), answered straight from Node's server: no framework
 * routing, no per-request server or transport objects. Order of checks: route → origin → workspace →
 * bearer token (bound to this workspace) → transport headers → body → JSON-RPC.
 */
@Injectable()
export class McpHttpHandler implements RawRequestHandler {
  private readonly logger = new Logger('McpGateway');

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly workspaces: WorkspaceResolver,
    private readonly authenticator: BearerAuthenticator,
    private readonly protocol: McpProtocol,
    private readonly rateLimits: ConnectorRateLimits,
    private readonly metrics: TesseraMetrics,
  ) {}

  tryHandle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (!url.startsWith('/mcp/') && !url.startsWith('/.well-known/oauth-protected-resource/')) return false;
    const connector = CONNECTOR_PATH.exec(url);
    const metadata = connector ? null : METADATA_PATH.exec(url);
    const match = connector ?? metadata;
    if (!match) return false;
    const started = performance.now();
    // One server span per request (a no-op unless tracing is on); token checks and backend calls nest in it.
    const span = tracer().startSpan(connector ? 'mcp.request' : 'mcp.resource_metadata', {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method ?? '', 'tessera.tenant': match[1]!, 'tessera.workspace': match[2]! },
    });
    res.once('close', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      span.end();
    });
    const handling = context.with(trace.setSpan(context.active(), span), () =>
      connector ? this.handleConnector(req, res, match[1]!, match[2]!, started) : this.handleMetadata(req, res, match[1]!, match[2]!),
    );
    handling.catch((error: unknown) => {
      const errorId = randomUUID();
      this.logger.error({ err: error, errorId }, 'unhandled MCP gateway error');
      if (connector) this.metrics.mcpRequest('http', undefined, 'error', (performance.now() - started) / 1000);
      if (!res.headersSent) send(res, 500, JSON_HEADERS, errorMessage(null, JsonRpcErrorCode.InternalError, `internal error (id ${errorId})`));
      else res.destroy();
    });
    return true;
  }

  private async handleMetadata(req: IncomingMessage, res: ServerResponse, tenant: string, workspace: string): Promise<void> {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': CORS_ALLOW_HEADERS };
    if (req.method === 'OPTIONS') return send(res, 204, { ...cors, 'access-control-allow-methods': 'GET, OPTIONS' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ...JSON_HEADERS, allow: 'GET, HEAD' }, apiError('method_not_allowed', 'use GET'));
    const ctx = await this.resolve(tenant, workspace);
    if (!ctx) return send(res, 404, { ...JSON_HEADERS, ...cors }, apiError('not_found', 'no such workspace'));
    const body = JSON.stringify(protectedResourceMetadata(this.platform.publicUrl, this.config.issuer, ctx));
    send(res, 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', ...cors }, req.method === 'HEAD' ? undefined : body);
  }

  private async handleConnector(req: IncomingMessage, res: ServerResponse, tenant: string, workspace: string, started: number): Promise<void> {
    let ctx: WorkspaceContext | null = null;
    // Every answer that is not a dispatched JSON-RPC message is counted here, by HTTP status.
    res.once('finish', () => {
      if (res.statusCode !== 200 && res.statusCode !== 202) {
        this.metrics.mcpRequest('http', undefined, mcpOutcomeForStatus(res.statusCode), (performance.now() - started) / 1000, ctx ? workspaceKey(ctx) : undefined);
      }
    });
    const origin = req.headers.origin;
    if (origin !== undefined && !this.platform.allowedOrigins.includes(origin)) {
      return send(res, 403, JSON_HEADERS, errorMessage(null, JsonRpcErrorCode.InvalidRequest, `origin ${origin.slice(0, 100)} is not allowed`));
    }
    const cors = origin ? corsHeaders(origin) : {};
    if (req.method === 'OPTIONS') {
      return send(res, 204, { ...cors, 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-max-age': '600' });
    }
    if (req.method !== 'POST') {
      return send(res, 405, { ...JSON_HEADERS, ...cors, allow: 'POST' }, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'this stateless server has no event stream; use POST'));
    }
    ctx = await this.resolve(tenant, workspace);
    if (!ctx) return send(res, 404, { ...JSON_HEADERS, ...cors }, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'no such workspace'));

    const auth = await this.authenticator.authenticate(req.headers.authorization, ctx);
    if (auth.kind !== 'ok') {
      const challenge = bearerChallenge(this.platform.publicUrl, ctx.tenantSlug, ctx.workspaceSlug,
        auth.kind === 'invalid' ? { code: 'invalid_token', description: auth.reason } : undefined);
      const text = auth.kind === 'invalid' ? auth.reason : 'authorization required';
      return send(res, 401, { ...JSON_HEADERS, ...cors, 'www-authenticate': challenge }, errorMessage(null, JsonRpcErrorCode.InvalidRequest, text));
    }

    const retryAfter = await this.rateLimits.retryAfter(ctx, auth.principal);
    if (retryAfter > 0) {
      this.metrics.rateLimited('mcp');
      req.resume();
      return send(res, 429, { ...JSON_HEADERS, ...cors, 'retry-after': String(retryAfter) },
        errorMessage(null, JsonRpcErrorCode.RateLimited, `rate limit exceeded; retry after ${retryAfter} seconds`));
    }

    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      return send(res, 415, { ...JSON_HEADERS, ...cors }, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'Content-Type must be application/json'));
    }
    const accept = req.headers.accept;
    if (accept && !/application\/json|application\/\*|\*\/\*/i.test(accept)) {
      return send(res, 406, { ...JSON_HEADERS, ...cors }, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'Accept must include application/json'));
    }
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return send(res, 400, { ...JSON_HEADERS, ...cors }, errorMessage(null, JsonRpcErrorCode.InvalidRequest,
        `unsupported MCP-Protocol-Version ${version.slice(0, 32)}; supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`));
    }

    const body = await readBody(req, this.config.maxRequestBytes);
    if (body.kind === 'too_large') {
      return send(res, 413, { ...JSON_HEADERS, ...cors, connection: 'close' }, errorMessage(null, JsonRpcErrorCode.InvalidRequest, `request body exceeds ${this.config.maxRequestBytes} bytes`));
    }
    if (body.kind === 'aborted') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      return send(res, 400, { ...JSON_HEADERS, ...cors }, errorMessage(null, JsonRpcErrorCode.ParseError, 'Parse error: body is not valid JSON'));
    }
    await this.answer(res, cors, ctx, auth.principal, parsed, started);
  }

  private async answer(res: ServerResponse, cors: Record<string, string>, ctx: WorkspaceContext, principal: Principal, parsed: unknown, started: number) {
    const batch = Array.isArray(parsed);
    const messages = batch ? (parsed as unknown[]) : [parsed];
    if (batch && (messages.length === 0 || messages.length > MAX_BATCH)) {
      return send(res, 400, { ...JSON_HEADERS, ...cors }, errorMessage(null, JsonRpcErrorCode.InvalidRequest, `a batch must hold 1–${MAX_BATCH} messages`));
    }
    const replies: string[] = [];
    for (const raw of messages) {
      const message = parseMessage(raw);
      if (message.kind === 'notification' || message.kind === 'response') continue;
      if (message.kind === 'invalid') {
        replies.push(errorMessage(message.id, JsonRpcErrorCode.InvalidRequest, `Invalid request: ${message.message}`));
        continue;
      }
      const result = await this.protocol.dispatch(ctx, principal, message.request);
      if (result.kind === 'insufficient_scope') {
        const challenge = bearerChallenge(this.platform.publicUrl, ctx.tenantSlug, ctx.workspaceSlug, {
          code: 'insufficient_scope',
          description: `the ${result.scope} tool needs the "${result.scope}" scope`,
          scope: result.scope,
        });
        if (!batch) {
          return send(res, 403, { ...JSON_HEADERS, ...cors, 'www-authenticate': challenge },
            errorMessage(message.request.id, JsonRpcErrorCode.InvalidRequest, `insufficient scope: the ${result.scope} tool needs the "${result.scope}" scope`));
        }
        replies.push(errorMessage(message.request.id, JsonRpcErrorCode.InvalidRequest, `insufficient scope: needs "${result.scope}"`));
        continue;
      }
      this.metrics.mcpRequest(message.request.method, result.tool, result.outcome, (performance.now() - started) / 1000, workspaceKey(ctx));
      replies.push(result.json);
    }
    if (replies.length === 0) return send(res, 202, cors);
    send(res, 200, { ...JSON_HEADERS, ...cors }, batch ? `[${replies.join(',')}]` : replies[0]);
  }

  private resolve(tenant: string, workspace: string): Promise<WorkspaceContext | null> {
    if (!isSlug(tenant) || !isSlug(workspace)) return Promise.resolve(null);
    return this.workspaces.resolve(tenant, workspace);
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  res.writeHead(status, body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': CORS_ALLOW_HEADERS,
    'access-control-expose-headers': 'www-authenticate, mcp-session-id, mcp-protocol-version',
    vary: 'origin',
  };
}

function apiError(code: string, message: string): string {
  return JSON.stringify({ code, message });
}
