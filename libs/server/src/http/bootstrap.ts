import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  configureLogging,
  type HttpGroup,
  loadObservabilityConfig,
  type LogDestination,
  type Logger,
  type MetricsServer,
  type ObservabilityConfig,
  ObservabilityConfigError,
  PinoNestLogger,
  ReadinessState,
  REQUEST_ID_HEADER,
  requestIdFrom,
  type RequestContext,
  runWithRequestContext,
  sharedMetrics,
  startMetricsServer,
  type TesseraMetrics,
} from '@tessera/observability';
import { ConfigError, type PlatformConfig } from '../config/platform-config';
import { ApiErrorFilter } from './api-error.filter';
import { ClientAddressRule } from './client-address';
import { validationExceptionFactory } from './validation';
import { installBodyParsers } from './body-parsing';
import { refuseHostileInput, requestTargetProblem, routeFamilyOf } from './hostile-input';

/** A request handler that bypasses Nest for a hot path; returns false for requests it does not own. */
export interface RawRequestHandler {
  /**
   * `responseHeaders` (name, value, name, value…) belong on every answer: the request id, and
   * `connection: close` while draining. They are set on the response for the handler unless it
   * declares `writesResponseHeaders`.
   */
  tryHandle(req: IncomingMessage, res: ServerResponse, responseHeaders: readonly string[]): boolean;
  /**
   * True when the handler writes `responseHeaders` itself in res.writeHead: headers passed only to
   * writeHead are serialized at once, while res.setHeader makes writeHead store and validate each one
   * again (measurable on the MCP hot path).
   */
  readonly writesResponseHeaders?: boolean;
}

export interface HttpAppOptions {
  readonly module: unknown;
  readonly config: PlatformConfig;
  /** Resolved from the app after init, e.g. the MCP gateway's handler. */
  readonly rawHandlers?: (app: INestApplication) => RawRequestHandler[];
  readonly openApi?: { title: string; path: string };
  readonly jsonBodyLimit?: string;
  /** Metrics listener, log format, shutdown timings; read from the environment when omitted. */
  readonly observability?: ObservabilityConfig;
  /** Where log lines go (stdout by default); tests capture them here. */
  readonly logDestination?: LogDestination;
}

export interface RunningHttpApp {
  readonly app: INestApplication;
  readonly server: Server;
  readonly url: string;
  /** Base URL of the separate metrics listener (scrape `${metricsUrl}/metrics`); undefined when METRICS_PORT is off. */
  readonly metricsUrl?: string;
  /** Stops at once: readiness goes down, in-flight requests finish, then Nest closes. SIGTERM waits SHUTDOWN_GRACE_MS first. */
  close(): Promise<void>;
}

/**
 * Builds the Nest app on Express and serves it from a plain Node server, so that hot paths
 * (the MCP endpoint) are answered without the framework's per-request overhead.
 *
 * Around every request: an `x-request-id` (the caller's, or a new one) in the response and in every log
 * line written while serving it; tessera_http_* metrics; one access-log line when it ends. /metrics has
 * its own listener (METRICS_PORT) so that the public one never serves it. On SIGTERM: readiness turns 503,
 * requests keep being served for SHUTDOWN_GRACE_MS, then the listener closes and in-flight requests drain.
 */
export async function startHttpApp(options: HttpAppOptions): Promise<RunningHttpApp> {
  const observability = options.observability ?? observabilityFromEnvironment();
  const metricsListen = observability.metrics;
  if (metricsListen && metricsListen.port !== 0 && metricsListen.port === options.config.port) {
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${options.config.port}): /metrics never shares the public listener`);
  }
  const log = configureLogging({ level: options.config.logLevel, format: observability.logFormat, destination: options.logDestination });
  if (options.config.publicUrl.startsWith('https:') && options.config.trustProxy.kind === 'none') {
    log.warn('PUBLIC_URL is https but TRUST_PROXY is unset: forwarded headers of a TLS-terminating proxy are ignored (set TRUST_PROXY to its hop count or addresses)');
  }
  const metrics = sharedMetrics({ workspaceLabels: observability.workspaceLabels, version: observability.version });

  const expressApp = express();
  expressApp.disable('x-powered-by');
  // Forwarded headers count only from the proxies TRUST_PROXY names; the same rule serves every other
  // reader of the client address (see ClientAddressRule), and untrusted forwarded headers are dropped below.
  const clientAddresses = new ClientAddressRule(options.config.trustProxy);
  expressApp.set('trust proxy', clientAddresses.trust);
  installBodyParsers(expressApp, options.jsonBodyLimit ?? '6mb');
  const app = await NestFactory.create<NestExpressApplication>(options.module as never, new ExpressAdapter(expressApp), {
    logger: new PinoNestLogger(log),
    bodyParser: false,
    // Fail by rejecting (the caller prints and exits) rather than exiting inside Nest: start-up errors
    // reach the caller, and app.get() of an optional provider can be tried.
    abortOnError: false,
  });
  app.useGlobalFilters(new ApiErrorFilter());
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationExceptionFactory }),
  );
  // No app.enableShutdownHooks(): Nest would close the app on SIGTERM before requests drain. The SIGTERM
  // handler below drains first; close() runs the modules' shutdown hooks through app.close().
  if (options.openApi) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(options.openApi.title).setVersion('1').addBearerAuth().build(),
    );
    SwaggerModule.setup(options.openApi.path, app, document, { jsonDocumentUrl: `${options.openApi.path}/openapi.json` });
  }
  await app.init();
  const readiness = optionalProvider(app, ReadinessState);

  const raw = options.rawHandlers?.(app) ?? [];
  let draining = false;
  const accessLog = observability.accessLog ? log : undefined;
  const server = createServer((req, res) => {
    const started = performance.now();
    clientAddresses.dropUntrustedForwardedHeaders(req);
    const context: RequestContext = { requestId: requestIdFrom(req.headers[REQUEST_ID_HEADER]) };
    // While draining, clients should open their next connection elsewhere.
    const responseHeaders = draining ? [REQUEST_ID_HEADER, context.requestId, 'connection', 'close'] : [REQUEST_ID_HEADER, context.requestId];
    res.on('close', () => requestEnded(req, res, context, started, metrics, accessLog));
    runWithRequestContext(context, () => {
      // Hostile input is refused here, once, for every route of every app (hostile-input.ts).
      const hostile = requestTargetProblem(req.url ?? '/');
      if (hostile) {
        setHeaders(res, responseHeaders);
        return refuseHostileInput(res, routeFamilyOf(pathOf(req.url ?? '/')), hostile);
      }
      let headersSet = false;
      for (const handler of raw) {
        if (!handler.writesResponseHeaders && !headersSet) headersSet = setHeaders(res, responseHeaders);
        if (handler.tryHandle(req, res, responseHeaders)) return;
      }
      if (!headersSet) setHeaders(res, responseHeaders);
      expressApp(req, res);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.config.port, options.config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let metricsServer: MetricsServer | undefined;
  if (metricsListen) {
    try {
      metricsServer = await startMetricsListener(metrics, metricsListen, log);
    } catch (error) {
      await stopListener(server, 0);
      await app.close();
      throw error;
    }
  }

  let closing: Promise<void> | undefined;
  const shutdown = (graceMs: number): Promise<void> => {
    closing ??= (async () => {
      process.off('SIGTERM', onSigterm);
      draining = true;
      readiness?.beginDrain();
      if (graceMs > 0) {
        log.info({ graceMs }, 'draining: readiness is down, still serving');
        await new Promise((resolve) => setTimeout(resolve, graceMs));
      }
      await stopListener(server, observability.shutdownDrainTimeoutMs);
      await app.close();
      await metricsServer?.close();
    })();
    return closing;
  };
  const onSigterm = () => {
    // The app's main usually handles SIGTERM too (it calls close() and exits); if nothing else does,
    // terminate once closed, as the default action would have.
    const mainHandlesIt = process.listenerCount('SIGTERM') > 1;
    void shutdown(observability.shutdownGraceMs).then(() => {
      if (!mainHandlesIt) process.kill(process.pid, 'SIGTERM');
    });
  };
  process.on('SIGTERM', onSigterm);

  return {
    app,
    server,
    url,
    metricsUrl: metricsServer?.url,
    close: () => shutdown(0),
  };
}

/**
 * The /metrics listener. A busy METRICS_PORT is a configuration error; the default port, when busy (a
 * second Tessera process on one machine), gives way to a free port, said in the log.
 */
async function startMetricsListener(
  metrics: TesseraMetrics,
  listen: NonNullable<ObservabilityConfig['metrics']>,
  log: Logger,
): Promise<MetricsServer> {
  try {
    return await startMetricsServer(metrics.registry, listen);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (listen.explicit) {
      throw new ConfigError('METRICS_PORT', `${listen.host}:${listen.port} is in use; set METRICS_PORT to a free port, or off`);
    }
    const fallback = await startMetricsServer(metrics.registry, { host: listen.host, port: 0 });
    log.warn({ port: listen.port, metricsUrl: fallback.url }, 'the default metrics port is in use; serving /metrics on a free port instead (set METRICS_PORT)');
    return fallback;
  }
}

function observabilityFromEnvironment(): ObservabilityConfig {
  try {
    return loadObservabilityConfig(process.env);
  } catch (error) {
    if (error instanceof ObservabilityConfigError) throw new ConfigError(error.variable, error.problem);
    throw error;
  }
}

function optionalProvider<T>(app: INestApplication, token: new (...args: never[]) => T): T | undefined {
  try {
    return app.get(token, { strict: false });
  } catch {
    return undefined;
  }
}

/** Stops accepting, lets in-flight requests finish (idle keep-alive connections close), then cuts the rest. */
function stopListener(server: Server, drainTimeoutMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => server.closeAllConnections(), drainTimeoutMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function setHeaders(res: ServerResponse, headers: readonly string[]): true {
  for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
  return true;
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

function pathOf(url: string): string {
  const cut = url.indexOf('?');
  return cut === -1 ? url : url.slice(0, cut);
}

function groupOf(path: string): HttpGroup {
  if (path.startsWith('/mcp/')) return 'mcp';
  if (path.startsWith('/oauth/')) return 'oauth';
  if (path.startsWith('/v1/')) return 'api';
  if (path.startsWith('/.well-known/')) return 'well_known';
  if (HEALTH_PATHS.has(path)) return 'health';
  if (path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-')) return 'docs';
  return 'other';
}

/** Metrics for every request; one access-log line (never the query string) unless ACCESS_LOG=off. */
function requestEnded(
  req: IncomingMessage,
  res: ServerResponse,
  context: RequestContext,
  started: number,
  metrics: TesseraMetrics,
  log: Logger | undefined,
): void {
  const ms = performance.now() - started;
  const path = pathOf(req.url ?? '/').slice(0, 200);
  const group = groupOf(path);
  // 499: the client went away before the response was complete (nginx's convention).
  const status = res.writableFinished ? res.statusCode : 499;
  metrics.httpRequest(group, status, ms / 1000);
  if (!log) return;
  const level = group === 'health' ? 'debug' : status >= 500 ? 'warn' : 'info';
  if (!log.isLevelEnabled(level)) return;
  log[level]({ ...context.fields, requestId: context.requestId, method: req.method, path, status, durationMs: Math.round(ms * 10) / 10 }, 'request');
}
