import { ApiError, NetworkError } from './api-client';
import type { CliIo } from './cli-context';
import { ExitCode, UsageError } from './usage-error';

/** One-line, human description of any failure the CLI expects to meet. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return `${error.message} (${error.code}, HTTP ${error.status})`;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Prints `error: …` and picks the exit code. Expected failures (usage, HTTP,
 * network) never print a stack; anything else is a bug, so the stack is shown
 * when TESSERA_DEBUG is set.
 */
export function reportError(error: unknown, io: CliIo, env: NodeJS.ProcessEnv): number {
  io.stderr(`error: ${describeError(error)}\n`);
  if (error instanceof UsageError) {
    return ExitCode.usage;
  }
  const expected = error instanceof ApiError || error instanceof NetworkError;
  if (!expected && env.TESSERA_DEBUG && error instanceof Error && error.stack) {
    io.stderr(`${error.stack}\n`);
  }
  return ExitCode.failed;
}
