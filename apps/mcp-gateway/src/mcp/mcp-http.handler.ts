import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isSlug, Principal, WorkspaceContext } from '@tessera/domain';
import type { Span } from '@opentelemetry/api';
import {
  currentRequestContext, mcpOutcomeForStatus, type RequestContext, runWithRequestContext, SpanKind, startSpan, TesseraMetrics, withSpan, workspaceKey,
} from '@tessera/observability';
import { jsonTextProblem, parsedBodyProblem, PLATFORM_CONFIG, type PlatformConfig, type RawRequestHandler } from '@tessera/server';
import { type MaybePromise, whenReady } from '../common/maybe-promise';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { bearerChallenge, protectedResourceMetadata } from '../resource/protected-resource';
import { ConnectorRateLimits } from '../guard/connector-rate-limits';
import { type Authentication, BearerAuthenticator } from '../verification/bearer-authenticator';
import { WorkspaceResolver } from '../workspace/workspace-resolver';
import { errorMessage, JsonRpcErrorCode, type JsonRpcId, type MessageBody, parseMessage, type ParsedMessage, readableId } from './json-rpc';
import { type DispatchResult, McpProtocol } from './mcp-protocol';
import { type Era, eraOf, firstRejection, type Inbound, MAX_BATCH } from './request-checks';
import { scopeShortfall } from './required-scopes';
import { type BodyResult, receiveBody } from './read-body';

const CONNECTOR_PATH = /^\/mcp\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/;
const METADATA_PATH = /^\/\.well-known\/oauth-protected-resource\/mcp\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/;
const JSON_CONTENT_TYPE = /^application\/json\s*(;|$)/i;
const ACCEPTS_JSON = /application\/json|application\/\*|\*\/\*/i;
/** Header names and values in turn, as res.writeHead takes them (no intermediate objects). */
type HeaderList = readonly string[];
const JSON_HEADERS: HeaderList = ['content-type', 'application/json', 'cache-control', 'no-store'];
const NO_HEADERS: HeaderList = [];
const CORS_ALLOW_HEADERS = 'authorization, content-type, accept, mcp-protocol-version, mcp-method, mcp-name, mcp-session-id, last-event-id';
const METADATA_CORS: HeaderList = ['access-control-allow-origin', '*', 'access-control-allow-headers', CORS_ALLOW_HEADERS];

/** Done at once, or once the promise settles. */
type Step = MaybePromise<void>;

/** One connector request on its way through the checks. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly started: number;
  /** On every answer: the request id (from the HTTP server), and CORS headers for an allowed browser origin. */
  headers: HeaderList;
  /** Those, and the JSON headers. */
  jsonHeaders: HeaderList;
  ctx?: WorkspaceContext;
  /** Re-entered when the body arrives (stream events run outside the request's async context). */
  readonly requestContext: RequestContext | undefined;
  /** The request's server span; undefined when tracing is off. */
  readonly span: Span | undefined;
}

/**
 * The MCP endpoint (Streamable HTTP, stateless), answered straight from Node's server: no framework
 * routing, no per-request server or transport objects. Order of checks: route → origin → workspace →
 * bearer token (bound to this workspace) → transport headers → body → JSON → the era's checks
 * (request-checks.ts: 2026-07-28 or 2025) → scopes → rate limits, one unit per message → dispatch.
 * One message and a batch take the same path.
 *
 * Every step runs synchronously while its answer is at hand (a cached workspace and token, an
 * in-process rate limiter, tools/list): a warm request makes no promise until a tool calls a backend.
 */
@Injectable()
export class McpHttpHandler implements RawRequestHandler {
  readonly writesResponseHeaders = true;
  private readonly logger = new Logger('McpGateway');
  /** JSON and CORS headers per allowed origin (a bounded set: the configured origins). */
  private readonly corsByOrigin = new Map<string, HeaderList>();

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly workspaces: WorkspaceResolver,
    private readonly authenticator: BearerAuthenticator,
    private readonly protocol: McpProtocol,
    private readonly rateLimits: ConnectorRateLimits,
    private readonly metrics: TesseraMetrics,
  ) {}

  tryHandle(req: IncomingMessage, res: ServerResponse, responseHeaders: HeaderList = NO_HEADERS): boolean {
    const url = req.url ?? '';
    if (!url.startsWith('/mcp/') && !url.startsWith('/.well-known/oauth-protected-resource/')) return false;
    const connector = CONNECTOR_PATH.exec(url);
    const metadata = connector ? null : METADATA_PATH.exec(url);
    const match = connector ?? metadata;
    if (!match) return false;
    const started = performance.now();
    // One server span per request when tracing is on; token checks and backend calls nest in it.
    const span = startSpan(connector ? 'mcp.request' : 'mcp.resource_metadata', {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method ?? '', 'tessera.tenant': match[1]!, 'tessera.workspace': match[2]! },
    });
    if (span) {
      res.once('close', () => {
        span.setAttribute('http.response.status_code', res.statusCode);
        span.end();
      });
    }
    if (!connector) {
      withSpan(span, () => this.handleMetadata(req, res, responseHeaders, match[1]!, match[2]!))
        .catch((error: unknown) => this.failMetadata(res, responseHeaders, error));
      return true;
    }
    const x: Exchange = { req, res, started, headers: responseHeaders, jsonHeaders: [...responseHeaders, ...JSON_HEADERS], requestContext: currentRequestContext(), span };
    this.run(x, () => withSpan(span, () => this.handleConnector(x, match[1]!, match[2]!)));
    return true;
  }

  private handleConnector(x: Exchange, tenant: string, workspace: string): Step {
    const { req } = x;
    const origin = req.headers.origin;
    if (origin !== undefined && !this.platform.allowedOrigins.includes(origin)) {
      return this.reply(x, 403, errorMessage(null, JsonRpcErrorCode.InvalidRequest, `origin ${origin.slice(0, 100)} is not allowed`));
    }
    if (origin) this.allowOrigin(x, origin);
    if (req.method === 'OPTIONS') {
      return this.reply(x, 204, undefined, ['access-control-allow-methods', 'POST, OPTIONS', 'access-control-max-age', '600']);
    }
    if (req.method !== 'POST') {
      return this.reply(x, 405, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'this stateless server has no event stream; use POST'), ['allow', 'POST']);
    }
    return whenReady(this.resolve(tenant, workspace), (ctx) => this.authenticate(x, ctx));
  }

  private authenticate(x: Exchange, ctx: WorkspaceContext | null): Step {
    if (!ctx) return this.reply(x, 404, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'no such workspace'));
    x.ctx = ctx;
    return whenReady(this.authenticator.authenticate(x.req.headers.authorization, ctx), (auth) => this.checkTransport(x, ctx, auth));
  }

  private checkTransport(x: Exchange, ctx: WorkspaceContext, auth: Authentication): Step {
    const { req } = x;
    if (auth.kind !== 'ok') {
      const challenge = bearerChallenge(this.platform.publicUrl, ctx.tenantSlug, ctx.workspaceSlug,
        auth.kind === 'invalid' ? { code: 'invalid_token', description: auth.reason } : undefined);
      const text = auth.kind === 'invalid' ? auth.reason : 'authorization required';
      return this.reply(x, 401, errorMessage(null, JsonRpcErrorCode.InvalidRequest, text), ['www-authenticate', challenge]);
    }
    if (!JSON_CONTENT_TYPE.test(req.headers['content-type'] ?? '')) {
      return this.reply(x, 415, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'Content-Type must be application/json'));
    }
    const accept = req.headers.accept;
    if (accept && !ACCEPTS_JSON.test(accept)) {
      return this.reply(x, 406, errorMessage(null, JsonRpcErrorCode.InvalidRequest, 'Accept must include application/json'));
    }
    const principal = auth.principal;
    receiveBody(req, this.config.maxRequestBytes, (body) => {
      // Stream events run outside the request's async context: re-enter it, for log lines and spans.
      const parse = () => withSpan(x.span, () => this.run(x, () => this.parse(x, principal, body)));
      if (x.requestContext) runWithRequestContext(x.requestContext, parse);
      else parse();
    });
  }

  private parse(x: Exchange, principal: Principal, body: BodyResult): Step {
    if (body.kind === 'too_large') {
      return this.reply(x, 413, errorMessage(noIdFor(headerEra(x)), JsonRpcErrorCode.InvalidRequest, `request body exceeds ${this.config.maxRequestBytes} bytes`), ['connection', 'close']);
    }
    if (body.kind === 'aborted') return;
    if (body.kind === 'not_utf8') return this.reply(x, 400, errorMessage(noIdFor(headerEra(x)), JsonRpcErrorCode.ParseError, 'Parse error: body is not valid UTF-8'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      return this.reply(x, 400, errorMessage(noIdFor(headerEra(x)), JsonRpcErrorCode.ParseError, 'Parse error: body is not valid JSON'));
    }
    const batch = Array.isArray(parsed);
    const raw = batch ? (parsed as unknown[]) : [parsed];
    // NUL and unpaired surrogates, the platform's one rule (@tessera/server hostile-input).
    const hostile = jsonTextProblem(body.text, parsed);
    if (hostile) {
      // The id is echoed unless it is itself what was refused.
      const id = batch ? null : readableId(parsed);
      const echo = id !== null && !parsedBodyProblem(id) ? id : null;
      const inbound: Inbound = { headers: x.req.headers, batch, raw, messages: [] };
      return this.reply(x, 400, errorMessage(echo ?? noIdFor(eraOf(inbound)), JsonRpcErrorCode.InvalidRequest, `Invalid request: ${hostile.message}`));
    }
    return this.check(x, principal, { headers: x.req.headers, batch, raw, messages: raw.length > MAX_BATCH ? [] : raw.map(parseMessage) });
  }

  /** The era's checks in order, then the scopes the calls need, then the rate limits (one unit per message). */
  private check(x: Exchange, principal: Principal, inbound: Inbound): Step {
    const era = eraOf(inbound);
    const rejection = firstRejection(era, inbound);
    if (rejection) {
      return this.reply(x, rejection.status, errorMessage(rejection.id, rejection.code, rejection.message, rejection.data));
    }
    const ctx = x.ctx!;
    const id = singleId(inbound) ?? noIdFor(era);
    const shortfall = scopeShortfall(principal, inbound.messages);
    if (shortfall) {
      const description = `this request needs the ${shortfall.needed.map((s) => `"${s}"`).join(' and ')} scope${shortfall.needed.length > 1 ? 's' : ''}`;
      return this.reply(x, 403, errorMessage(id, JsonRpcErrorCode.InvalidRequest, `insufficient scope: ${description}`),
        ['www-authenticate', bearerChallenge(this.platform.publicUrl, ctx.tenantSlug, ctx.workspaceSlug, { code: 'insufficient_scope', description, scope: shortfall.needed.join(' ') })]);
    }
    return whenReady(this.rateLimits.retryAfter(ctx, principal, inbound.raw.length), (retryAfter) => {
      if (retryAfter > 0) {
        this.metrics.rateLimited('mcp');
        return this.reply(x, 429, errorMessage(id, era === 'modern' ? JsonRpcErrorCode.RateLimitedApplication : JsonRpcErrorCode.RateLimited, `rate limit exceeded; retry after ${retryAfter} seconds`),
          ['retry-after', String(retryAfter)]);
      }
      return inbound.batch ? this.answerBatch(x, era, principal, inbound.messages) : this.answer(x, era, principal, inbound.messages[0]!);
    });
  }

  private answer(x: Exchange, era: Era, principal: Principal, message: ParsedMessage): Step {
    if (message.kind === 'notification' || message.kind === 'response') return this.reply(x, 202);
    if (message.kind === 'invalid') return this.reply(x, 200, invalidMessage(message));
    const { request } = message;
    return whenReady(this.protocol.dispatch(era, x.ctx!, principal, request), (result) => {
      this.countAnswer(x, request.method, result);
      this.reply(x, 200, result.json);
    });
  }

  /** A batch (2025-03-26 and earlier): the same dispatch as one message, each reply in turn. */
  private async answerBatch(x: Exchange, era: Era, principal: Principal, messages: readonly ParsedMessage[]): Promise<void> {
    const replies: string[] = [];
    for (const message of messages) {
      if (message.kind === 'notification' || message.kind === 'response') continue;
      if (message.kind === 'invalid') {
        replies.push(invalidMessage(message));
        continue;
      }
      const result = await this.protocol.dispatch(era, x.ctx!, principal, message.request);
      this.countAnswer(x, message.request.method, result);
      replies.push(typeof result.json === 'string' ? result.json : result.json.toString('utf8'));
    }
    if (replies.length === 0) return this.reply(x, 202);
    this.reply(x, 200, `[${replies.join(',')}]`);
  }

  private countAnswer(x: Exchange, method: string, result: DispatchResult): void {
    this.metrics.mcpRequest(method, result.tool, result.outcome, (performance.now() - x.started) / 1000, workspaceKey(x.ctx!));
  }

  /**
   * Sends the answer. Every answer that is not a dispatched JSON-RPC message (any status but 200 and
   * 202) is counted here, by status. JSON bodies carry the JSON headers; every answer carries CORS's.
   */
  private reply(x: Exchange, status: number, body?: MessageBody, extra?: HeaderList): void {
    if (status !== 200 && status !== 202) {
      this.metrics.mcpRequest('http', undefined, mcpOutcomeForStatus(status), (performance.now() - x.started) / 1000, x.ctx ? workspaceKey(x.ctx) : undefined);
    }
    send(x.res, status, body === undefined ? x.headers : x.jsonHeaders, body, extra);
  }

  /** Runs a step; whatever it throws, now or later, becomes a 500 with an error id. */
  private run(x: Exchange, step: () => Step): void {
    try {
      const done = step();
      if (done instanceof Promise) done.catch((error: unknown) => this.fail(x, error));
    } catch (error) {
      this.fail(x, error);
    }
  }

  private fail(x: Exchange, error: unknown): void {
    const errorId = randomUUID();
    this.logger.error({ err: error, errorId }, 'unhandled MCP gateway error');
    this.metrics.mcpRequest('http', undefined, 'error', (performance.now() - x.started) / 1000, x.ctx ? workspaceKey(x.ctx) : undefined);
    if (x.res.headersSent) x.res.destroy();
    else send(x.res, 500, x.headers, errorMessage(null, JsonRpcErrorCode.InternalError, `internal error (id ${errorId})`), JSON_HEADERS);
  }

  private allowOrigin(x: Exchange, origin: string): void {
    let cors = this.corsByOrigin.get(origin);
    if (!cors) this.corsByOrigin.set(origin, (cors = corsHeaders(origin)));
    x.headers = [...x.headers, ...cors];
    x.jsonHeaders = [...x.headers, ...JSON_HEADERS];
  }

  private async handleMetadata(req: IncomingMessage, res: ServerResponse, headers: HeaderList, tenant: string, workspace: string): Promise<void> {
    if (req.method === 'OPTIONS') return send(res, 204, headers, undefined, [...METADATA_CORS, 'access-control-allow-methods', 'GET, OPTIONS']);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, headers, apiError('method_not_allowed', 'use GET'), [...JSON_HEADERS, 'allow', 'GET, HEAD']);
    }
    const ctx = await this.resolve(tenant, workspace);
    if (!ctx) return send(res, 404, headers, apiError('not_found', 'no such workspace'), [...JSON_HEADERS, ...METADATA_CORS]);
    const body = JSON.stringify(protectedResourceMetadata(this.platform.publicUrl, this.config.issuer, ctx));
    send(res, 200, headers, req.method === 'HEAD' ? undefined : body, ['content-type', 'application/json', 'cache-control', 'public, max-age=300', ...METADATA_CORS]);
  }

  private failMetadata(res: ServerResponse, headers: HeaderList, error: unknown): void {
    const errorId = randomUUID();
    this.logger.error({ err: error, errorId }, 'unhandled MCP gateway error');
    if (!res.headersSent) send(res, 500, headers, errorMessage(null, JsonRpcErrorCode.InternalError, `internal error (id ${errorId})`), JSON_HEADERS);
    else res.destroy();
  }

  private resolve(tenant: string, workspace: string): MaybePromise<WorkspaceContext | null> {
    if (!isSlug(tenant) || !isSlug(workspace)) return null;
    return this.workspaces.resolve(tenant, workspace);
  }
}

/** One writeHead with every header (no res.setHeader: that makes writeHead store and check each twice). */
function send(res: ServerResponse, status: number, headers: HeaderList, body?: MessageBody, extra?: HeaderList): void {
  const list = extra ? [...headers, ...extra] : [...headers];
  if (body !== undefined) list.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length));
  res.writeHead(status, list);
  res.end(body);
}

/** The id of a request that is one message, when it could be read: echoed on refusals of the whole request. */
function singleId(inbound: Inbound): JsonRpcId | null {
  const message = inbound.messages[0];
  if (inbound.batch || !message) return null;
  return message.kind === 'request' ? message.request.id : message.kind === 'invalid' ? message.id : null;
}

/** The era of a body that could not be read: the Mcp-Protocol-Version header's alone. */
function headerEra(x: Exchange): Era {
  return eraOf({ headers: x.req.headers, batch: false, raw: [], messages: [] });
}

/** What `id` is when none could be read: JSON-RPC 2.0's null before 2026-07-28, left out from it on. */
function noIdFor(era: Era): null | undefined {
  return era === 'modern' ? undefined : null;
}

function invalidMessage(message: Extract<ParsedMessage, { kind: 'invalid' }>): string {
  return errorMessage(message.id, JsonRpcErrorCode.InvalidRequest, `Invalid request: ${message.message}`);
}

function corsHeaders(origin: string): HeaderList {
  return [
    'access-control-allow-origin', origin,
    'access-control-allow-headers', CORS_ALLOW_HEADERS,
    'access-control-expose-headers', 'www-authenticate, mcp-session-id, mcp-protocol-version',
    'vary', 'origin',
  ];
}

function apiError(code: string, message: string): string {
  return JSON.stringify({ code, message });
}
