/**
 * A value that is ready now (answered from a cache or in process) or later. The MCP hot path stays
 * synchronous while every answer is ready: no promise, no microtask, no async-hook bookkeeping.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `next` at once to a ready value, or once the promise resolves. */
export function whenReady<T, R>(value: MaybePromise<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
