/**
 * The protocol between the benchmark and the servers it starts as child processes (the platform and
 * the two baselines). Each child serves HTTP, tells the parent where, and then answers: memory
 * usage, CPU profile start/stop (V8's sampling profiler through the inspector, the same one
 * `node --cpu-prof` uses, but per phase), and shutdown. A child whose parent goes away exits.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';

export interface ChildReady {
  readonly type: 'ready';
  readonly url: string;
  readonly info?: Record<string, unknown>;
}

export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export type ParentMessage =
  | { type: 'memory'; seq: number }
  | { type: 'cpu'; seq: number }
  | { type: 'profile-start'; seq: number }
  | { type: 'profile-stop'; seq: number; file: string }
  | { type: 'gc'; seq: number }
  | { type: 'shutdown'; seq: number };

export type ChildReply = { type: 'reply'; seq: number; value?: unknown; error?: string };

export interface ChildServer {
  readonly url: string;
  readonly info?: Record<string, unknown>;
  close(): Promise<void>;
}

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** Runs in the child: starts the server, reports it, and serves the parent's requests until shutdown. */
export function runChild(start: () => Promise<ChildServer>): void {
  if (!process.send) throw new Error('this module runs as a child of the benchmark (child_process.fork)');
  let server: ChildServer | undefined;
  let session: Session | undefined;
  const reply = (seq: number, value?: unknown, error?: string) => process.send!({ type: 'reply', seq, value, error } satisfies ChildReply);

  const handle = async (message: ParentMessage): Promise<unknown> => {
    switch (message.type) {
      case 'memory': {
        const m = process.memoryUsage();
        return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers } satisfies MemorySample;
      }
      case 'cpu': {
        const c = process.cpuUsage();
        return { user: c.user, system: c.system };
      }
      case 'gc':
        (globalThis as { gc?: () => void }).gc?.();
        return undefined;
      case 'profile-start':
        session ??= new Session();
        session.connect();
        await post(session, 'Profiler.enable');
        // --cpu-prof samples every 1 ms, coarse next to sub-millisecond requests: sample every 250 µs.
        await post(session, 'Profiler.setSamplingInterval', { interval: 250 });
        await post(session, 'Profiler.start');
        return undefined;
      case 'profile-stop': {
        if (!session) throw new Error('no profile is running');
        const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
        await post(session, 'Profiler.disable');
        session.disconnect();
        await writeFile(message.file, JSON.stringify(profile));
        return message.file;
      }
      case 'shutdown':
        await server?.close();
        setImmediate(() => process.exit(0));
        return undefined;
    }
  };

  process.on('message', (message: ParentMessage) => {
    handle(message).then(
      (value) => reply(message.seq, value),
      (error: unknown) => reply(message.seq, undefined, error instanceof Error ? error.stack ?? error.message : String(error)),
    );
  });
  process.on('disconnect', () => process.exit(0));
  start().then(
    (started) => {
      server = started;
      process.send!({ type: 'ready', url: started.url, info: started.info } satisfies ChildReady);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
