import type { DataSource } from 'typeorm';

/** A LISTEN held on a connection of its own; `close` gives the connection back. */
export interface ChannelSubscription {
  /** Sends a notification on the channel from the listening connection itself (a heartbeat: it should come back). */
  notify(payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface ChannelHandlers {
  /** A notification's payload, in commit order. */
  onMessage(payload: string): void;
  /** The connection failed or ended: notifications may have been missed from here on. Called at most once. */
  onLost(error: Error): void;
}

/** Subscriptions per data source, closed before it is (a pool waits for every connection it lent). */
const subscriptions = new WeakMap<DataSource, Set<ChannelSubscription>>();

/** Closes every subscription on the data source; its database closes them first. */
export async function closeChannelsOf(dataSource: DataSource): Promise<void> {
  const open = subscriptions.get(dataSource);
  if (!open) return;
  subscriptions.delete(dataSource);
  await Promise.all([...open].map((subscription) => subscription.close()));
}

interface ListeningClient {
  query(text: string | { text: string; values: unknown[] }): Promise<{ rows: Array<Record<string, unknown>> }>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (error?: Error) => void): void;
  off(event: 'error' | 'end', listener: (error?: Error) => void): void;
  removeAllListeners(event?: string): void;
  release(error?: Error | boolean): void;
}

/**
 * LISTENs on `channel` on a connection taken from the data source's pool and kept for as long as the
 * subscription lasts (so it counts against the pool's size). Null where notifications cannot be had:
 * no pool, or the embedded PGlite, whose single session is the application's only connection.
 * The channel name must be a plain identifier; it is checked, never quoted from input.
 */
export async function listenOnChannel(dataSource: DataSource, channel: string, handlers: ChannelHandlers): Promise<ChannelSubscription | null> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  const pool = (dataSource.driver as unknown as { master?: { connect?: () => Promise<ListeningClient>; options?: { max?: number }; ending?: boolean } }).master;
  if (!pool?.connect || (pool.options?.max ?? 10) < 2 || pool.ending || !dataSource.isInitialized) return null;
  const client = await pool.connect();
  let ended = false;
  const open = subscriptions.get(dataSource) ?? new Set<ChannelSubscription>();
  subscriptions.set(dataSource, open);
  const subscription: ChannelSubscription = {
    async notify(payload: string) {
      if (ended) throw new Error('the notification connection is closed');
      await client.query({ text: 'SELECT pg_notify($1, $2)', values: [channel, payload] });
    },
    async close() {
      open.delete(subscription);
      if (ended) return;
      ended = true;
      client.removeAllListeners('notification');
      // Not given back to the pool still listening: the connection is closed instead.
      client.release(true);
    },
  };
  open.add(subscription);
  const lost = (error?: Error) => {
    open.delete(subscription);
    if (ended) return;
    ended = true;
    client.removeAllListeners('notification');
    client.release(error ?? true);
    handlers.onLost(error ?? new Error('the notification connection ended'));
  };
  // At once, before any query: pg emits 'error' on a lent client whose connection breaks, even mid-query,
  // and an 'error' nobody listens to ends the process.
  const onError = (error?: Error) => lost(error);
  const onEnd = () => lost();
  client.on('error', onError);
  client.on('end', onEnd);
  try {
    const [row] = (await client.query('SELECT version() AS version')).rows;
    if (/\bPGlite\b/i.test(String(row?.version))) {
      open.delete(subscription);
      ended = true;
      client.off('error', onError);
      client.off('end', onEnd);
      client.release();
      return null;
    }
    client.on('notification', (message) => {
      if (!ended && message.channel === channel) handlers.onMessage(message.payload ?? '');
    });
    await client.query(`LISTEN ${channel}`);
  } catch (error) {
    open.delete(subscription);
    if (!ended) {
      ended = true;
      client.removeAllListeners('notification');
      client.release(error instanceof Error ? error : true);
    }
    throw error;
  }
  if (ended) throw new Error('the notification connection closed while it was set up');
  return subscription;
}
