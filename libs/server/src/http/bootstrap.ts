import { ConsoleLogger, INestApplication, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformConfig } from '../config/platform-config';
import { ApiErrorFilter } from './api-error.filter';
import { validationExceptionFactory } from './validation';
import { installBodyParsers } from './body-parsing';

/** A request handler that bypasses Nest for a hot path; returns false for requests it does not own. */
export interface RawRequestHandler {
  tryHandle(req: IncomingMessage, res: ServerResponse): boolean;
}

export interface HttpAppOptions {
  readonly module: unknown;
  readonly config: PlatformConfig;
  /** Resolved from the app after init, e.g. the MCP gateway's handler. */
  readonly rawHandlers?: (app: INestApplication) => RawRequestHandler[];
  readonly openApi?: { title: string; path: string };
  readonly jsonBodyLimit?: string;
}

export interface RunningHttpApp {
  readonly app: INestApplication;
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

const LEVELS: Record<string, LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
  silent: [],
};

/**
 * Builds the Nest app on Express and serves it from a plain Node server, so that hot paths
 * (the MCP endpoint) are answered without the framework's per-request overhead.
 */
export async function startHttpApp(options: HttpAppOptions): Promise<RunningHttpApp> {
  const expressApp = express();
  expressApp.disable('x-powered-by');
  expressApp.set('trust proxy', true);
  installBodyParsers(expressApp, options.jsonBodyLimit ?? '6mb');
  const logger = new ConsoleLogger({
    json: process.env.NODE_ENV === 'production',
    logLevels: LEVELS[options.config.logLevel] ?? LEVELS.info,
  });
  const app = await NestFactory.create<NestExpressApplication>(options.module as never, new ExpressAdapter(expressApp), {
    logger,
    bodyParser: false,
  });
  app.useGlobalFilters(new ApiErrorFilter());
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationExceptionFactory }),
  );
  app.enableShutdownHooks();
  if (options.openApi) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(options.openApi.title).setVersion('1').addBearerAuth().build(),
    );
    SwaggerModule.setup(options.openApi.path, app, document, { jsonDocumentUrl: `${options.openApi.path}/openapi.json` });
  }
  await app.init();

  const raw = options.rawHandlers?.(app) ?? [];
  const server = createServer((req, res) => {
    for (const handler of raw) if (handler.tryHandle(req, res)) return;
    expressApp(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.config.port, options.config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    app,
    server,
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await app.close();
    },
  };
}
