/** Parent side of child-ipc.ts: start a server in its own process, talk to it, stop it. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChildReady, ChildReply, MemorySample, ParentMessage } from './child-ipc';

export interface ChildHandle {
  readonly name: string;
  readonly url: string;
  readonly info: Record<string, unknown>;
  readonly pid: number;
  memory(): Promise<MemorySample>;
  /** process.cpuUsage() of the child, in microseconds. */
  cpu(): Promise<{ user: number; system: number }>;
  gc(): Promise<void>;
  profileStart(): Promise<void>;
  /** Writes the profile to `file` (in the child) and returns that path. */
  profileStop(file: string): Promise<string>;
  /** Asks the child to close its server and exit; kills it if it has not after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let cleanupInstalled = false;

/** Children die with the benchmark, whatever way it ends. */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => {
    for (const child of live) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export interface StartChildOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly execArgv?: readonly string[];
  readonly startTimeoutMs?: number;
}

/** Forks `test/bench/perf/<file>` under @swc-node/register and waits for its `ready`. */
export async function startChild(name: string, file: string, options: StartChildOptions = {}): Promise<ChildHandle> {
  installCleanup();
  const child = fork(join(__dirname, file), [], {
    execArgv: ['-r', '@swc-node/register', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));

  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let exited = false;
  child.on('message', (message: ChildReply) => {
    if (message.type !== 'reply') return;
    const waiter = pending.get(message.seq);
    pending.delete(message.seq);
    if (message.error) waiter?.reject(new Error(`${name}: ${message.error}`));
    else waiter?.resolve(message.value);
  });
  child.once('exit', (code, signal) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code})`));
    pending.clear();
  });

  const ready = await new Promise<ChildReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${options.startTimeoutMs ?? 120_000} ms`)), options.startTimeoutMs ?? 120_000);
    child.on('message', (message: ChildReady) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? code})`));
    });
  }).catch((error: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw error;
  });

  const request = <T>(message: Omit<ParentMessage, 'seq'>, timeoutMs = 60_000): Promise<T> => {
    if (exited) return Promise.reject(new Error(`${name} is not running`));
    const id = ++seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name}: no answer to ${message.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ ...message, seq: id } as ParentMessage);
    });
  };

  return {
    name,
    url: ready.url,
    info: ready.info ?? {},
    pid: child.pid!,
    memory: () => request<MemorySample>({ type: 'memory' }),
    cpu: () => request<{ user: number; system: number }>({ type: 'cpu' }),
    gc: () => request<void>({ type: 'gc' }),
    profileStart: () => request<void>({ type: 'profile-start' }),
    profileStop: (file) => request<string>({ type: 'profile-stop', file } as Omit<ParentMessage, 'seq'>),
    async stop(graceMs = 30_000) {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await Promise.race([request({ type: 'shutdown' }, graceMs).catch(() => undefined), gone]);
      const timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
