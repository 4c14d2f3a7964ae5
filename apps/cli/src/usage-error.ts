/**
 * A mistake in how the CLI was invoked (bad flag value, missing configuration,
 * path that does not exist). Reported as `error: <message>` with exit code 2,
 * never with a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
} as const;
