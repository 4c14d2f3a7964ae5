import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { rootLogger } from './logger';

/** Nest's own start-up chatter (one line per module and route) is debug, not info. */
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * Nest's LoggerService backed by pino, so `new Logger('Ctx').error({ err, errorId }, 'message')` and
 * `Logger.log('text', 'Ctx')` both become one structured, redacted JSON line with `context`.
 *
 * Nest appends the logger's context as the last argument; an object message is merged into the line
 * (pino style) and the first string argument after it is the message; an Error becomes `err`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger = rootLogger()) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = params.filter((p) => p !== undefined);
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    if (level === 'info' && context !== undefined && FRAMEWORK_CONTEXTS.has(context)) level = 'debug';
    if (!this.logger.isLevelEnabled(level)) return;

    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    let text: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
    } else {
      text = String(message);
    }
    const details: unknown[] = [];
    for (const param of rest) {
      if (param instanceof Error && fields.err === undefined) fields.err = param;
      else if (typeof param === 'string' && text === undefined) text = param;
      else if (typeof param === 'string' && level === 'error' && param.includes('\n    at ') && fields.stack === undefined) fields.stack = param;
      else details.push(param);
    }
    if (details.length > 0) fields.details = details;
    this.logger[level](fields, text ?? (message instanceof Error ? message.message : undefined));
  }
}
