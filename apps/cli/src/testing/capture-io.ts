import type { CliIo } from '../cli-context';

/** Collects everything the CLI writes, for assertions. No TTY, so no progress bar. */
export function captureIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (text) => void out.push(text), stderr: (text) => void err.push(text) },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** Retry settings that keep tests fast: real backoff logic, millisecond delays. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 10 } as const;
