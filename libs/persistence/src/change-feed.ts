import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { ChannelHandlers, ChannelSubscription } from './notification-channel';

/** Subscribes to a change channel (listenOnChannel); null where the database cannot notify (embedded PGlite). */
export type SubscribeToChanges = (handlers: ChannelHandlers) => Promise<ChannelSubscription | null>;

/** What a cache needs to know of the feed to trust what it holds. */
export interface ChangeSource {
  /** Listening now: every commit from here on will be announced. */
  readonly live: boolean;
  /** Raised each time listening (re)starts; what was confirmed under an older epoch may have missed a change. */
  readonly epoch: number;
}

/** Delay before listening again after a failure: doubling from the first, up to the last. */
const RETRY_MS = { first: 500, max: 30_000 };

/**
 * While live, the feed notifies itself this often and expects to hear it before the next beat;
 * otherwise it counts as deaf (a half-open connection, or a pooler such as PgBouncer in transaction
 * mode that does not pass notifications on) and listens anew.
 */
export const HEARTBEAT_MS = 5_000;
/** Heartbeat payloads start with this (never an announcement); every listener ignores the others'. */
const HEARTBEAT_PREFIX = '~';

/**
 * A channel's announcements of committed changes (notification-channel.ts), delivered in commit order
 * on a connection of its own: `onAnnouncement` hears every payload but the feed's own heartbeats. The
 * feed listens from the first `ensureStarted()`, and again after a lost connection, with back-off. It is
 * `live` only once a notification it sent itself came back, and stays so while its heartbeats keep
 * coming back; while it is not live, caches must ask the database instead of trusting memory. What a
 * payload means is its channel's business (the search index's generations, a tenant's directory).
 */
export class ChangeFeed implements ChangeSource {
  private readonly logger = new Logger(ChangeFeed.name);
  /** `confirming`: subscribed, waiting to hear its first heartbeat come back before it counts as live. */
  private state: 'idle' | 'connecting' | 'confirming' | 'live' | 'waiting' | 'unavailable' | 'stopped' = 'idle';
  private epochs = 0;
  private attempt = 0;
  private subscription?: ChannelSubscription;
  private retryTimer?: NodeJS.Timeout;
  private retryDelay = RETRY_MS.first;
  private heardCount = 0;
  private beatsHeard = 0;
  private heartbeatTimer?: NodeJS.Timeout;
  /** The heartbeat sent and not heard back yet. */
  private awaitedBeat?: string;

  /** `subject` names what the channel announces, in log lines ("index changes"). */
  constructor(
    private readonly subscribe: SubscribeToChanges,
    private readonly onAnnouncement: (payload: string) => void,
    private readonly heartbeatMs = HEARTBEAT_MS,
    private readonly subject = 'changes',
  ) {}

  get live(): boolean {
    return this.state === 'live';
  }

  get epoch(): number {
    return this.epochs;
  }

  /** Listening is wanted and possible: started by a reader's request, not stopped, not on PGlite. */
  get active(): boolean {
    return this.state === 'connecting' || this.state === 'confirming' || this.state === 'live' || this.state === 'waiting';
  }

  /** Its own heartbeats heard back so far (for tests and diagnostics). */
  get heartbeats(): number {
    return this.beatsHeard;
  }

  /** Announcements heard so far, heartbeats aside (for tests and diagnostics). */
  get heard(): number {
    return this.heardCount;
  }

  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** Starts listening unless it already does (or tries to); never throws, never waits. */
  ensureStarted(): void {
    if (this.state === 'idle') void this.listen();
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
  }

  private async listen(): Promise<void> {
    const attempt = ++this.attempt;
    this.state = 'connecting';
    let lostEarly: Error | undefined;
    const handlers: ChannelHandlers = {
      // Heard even before `live`: a change is never ignored, whatever the state.
      onMessage: (payload) => this.message(payload),
      onLost: (error) => {
        if (attempt !== this.attempt) return;
        if (this.state === 'connecting') lostEarly = error;
        else this.lost(error);
      },
    };
    let subscription: ChannelSubscription | null;
    try {
      subscription = await this.subscribe(handlers);
    } catch (error) {
      if (!this.stopped) this.retryLater(error as Error);
      return;
    }
    if (this.stopped) {
      await subscription?.close();
      return;
    }
    if (!subscription) {
      this.state = 'unavailable';
      return;
    }
    if (lostEarly) {
      this.retryLater(lostEarly);
      return;
    }
    this.subscription = subscription;
    this.state = 'confirming';
    this.startHeartbeat(subscription);
  }

  /** Its first heartbeat came back: notifications do reach it. */
  private confirmed(): void {
    this.epochs++;
    this.state = 'live';
    if (this.retryDelay > RETRY_MS.first) this.logger.log(`listening for ${this.subject} again`);
    this.retryDelay = RETRY_MS.first;
  }

  private lost(error: Error): void {
    if (this.state !== 'live' && this.state !== 'confirming') return;
    clearInterval(this.heartbeatTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    void subscription?.close().catch(() => undefined);
    this.retryLater(error);
  }

  /** Beats at once (the first one confirms the subscription), then every heartbeatMs. */
  private startHeartbeat(subscription: ChannelSubscription): void {
    const beat = () => {
      if (this.subscription !== subscription) return;
      if (this.awaitedBeat !== undefined) return this.lost(new Error('its own heartbeat did not come back'));
      const payload = HEARTBEAT_PREFIX + randomBytes(9).toString('base64url');
      this.awaitedBeat = payload;
      subscription.notify(payload).catch((error: unknown) => {
        if (this.subscription === subscription) this.lost(error instanceof Error ? error : new Error(String(error)));
      });
    };
    this.awaitedBeat = undefined;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(beat, this.heartbeatMs);
    this.heartbeatTimer.unref();
    beat();
  }

  private retryLater(error: Error): void {
    this.state = 'waiting';
    this.logger.warn(`not listening for ${this.subject} (${error.message}); readers ask the database until it listens again`);
    this.retryTimer = setTimeout(() => {
      if (this.state === 'waiting') void this.listen();
    }, this.retryDelay);
    this.retryTimer.unref();
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MS.max);
  }

  private message(payload: string): void {
    if (payload.startsWith(HEARTBEAT_PREFIX)) {
      if (payload !== this.awaitedBeat) return;
      this.awaitedBeat = undefined;
      this.beatsHeard++;
      if (this.state === 'confirming') this.confirmed();
      return;
    }
    this.heardCount++;
    this.onAnnouncement(payload);
  }
}
