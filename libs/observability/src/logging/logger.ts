import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redact, redactLogRecord, redactSerializedError } from './redaction';
import { currentRequestId } from './request-context';

export type { Logger, DestinationStream as LogDestination } from 'pino';

/** LOG_LEVEL values (unchanged): anything else means info. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS = new Set<string>(['debug', 'info', 'warn', 'error', 'silent']);

export function logLevelOf(value: string | undefined): LogLevelName {
  return value !== undefined && LEVELS.has(value) ? (value as LogLevelName) : 'info';
}

export interface LoggingOptions {
  readonly level: string;
  /** json: one JSON object per line (production, log shippers); pretty: pino-pretty for people at a terminal. */
  readonly format?: 'json' | 'pretty';
  /** Where lines go; stdout by default. Tests pass a stream to capture them. */
  readonly destination?: DestinationStream;
}

/**
 * A pino logger with Tessera's conventions: ISO time, level names, the current request's id on every
 * line (`requestId`), errors under `err`, and every logged object redacted (see redaction.ts).
 */
export function createLogger(options: LoggingOptions): Logger {
  const pretty = options.format === 'pretty' && !options.destination;
  const config: LoggerOptions = {
    level: logLevelOf(options.level),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: (error: unknown) => redactSerializedError(pino.stdSerializers.err(error as Error)) },
    formatters: {
      ...(pretty ? {} : { level: (label: string) => ({ level: label }) }),
      bindings: (bindings) => redact(bindings),
      log: (object) => redactLogRecord(object),
    },
    mixin() {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
  };
  const destination = options.destination ?? (pretty ? prettyStream() : undefined);
  const logger = destination ? pino(config, destination) : pino(config);
  // pino applies formatters.bindings to the root's bindings only; children (and theirs, which inherit
  // this property) get theirs redacted here.
  const child = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, childOptions?: unknown) {
    return child.call(this, redact(bindings), childOptions as never);
  } as Logger['child'];
  return logger;
}

/** pino-pretty is a development dependency: without it, logs stay JSON. */
function prettyStream(): DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pinoPretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
    return pinoPretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}

let root: Logger | undefined;

/** Sets the process's root logger (startHttpApp does this from LOG_LEVEL and LOG_FORMAT). */
export function configureLogging(options: LoggingOptions): Logger {
  root = createLogger(options);
  return root;
}

/** The process's root logger; JSON at info on stdout until configureLogging is called. */
export function rootLogger(): Logger {
  root ??= createLogger({ level: 'info', format: 'json' });
  return root;
}
