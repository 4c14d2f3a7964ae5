/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it: the holder renews
 * the lease; anyone may take it once it has not been renewed for leaseDurationSeconds. Only the leader
 * reconciles. The decision is a pure function; LeaderElector runs it against a LeaseStore.
 */

export interface LeaseRecord {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: Date;
  readonly renewTime?: Date;
  readonly leaseTransitions?: number;
}

export interface StoredLease {
  readonly record: LeaseRecord;
  /** For optimistic concurrency: a write with a stale version fails. */
  readonly resourceVersion: string;
}

export type LeaseDecision =
  | { readonly action: 'create' }
  | { readonly action: 'renew' }
  | { readonly action: 'takeover'; readonly previousHolder?: string }
  | { readonly action: 'wait'; readonly holder: string; readonly expiresAt: Date };

export function decideLease(lease: LeaseRecord | undefined, identity: string, now: Date, defaultDurationSeconds: number): LeaseDecision {
  if (!lease) return { action: 'create' };
  const holder = lease.holderIdentity ?? '';
  if (holder === identity) return { action: 'renew' };
  if (!holder) return { action: 'takeover' };
  const durationMs = (lease.leaseDurationSeconds ?? defaultDurationSeconds) * 1000;
  const lastRenew = lease.renewTime ?? lease.acquireTime;
  if (!lastRenew) return { action: 'takeover', previousHolder: holder };
  const expiresAt = new Date(lastRenew.getTime() + durationMs);
  return expiresAt.getTime() <= now.getTime() ? { action: 'takeover', previousHolder: holder } : { action: 'wait', holder, expiresAt };
}

/** The record to write for a decision (none for `wait`). */
export function leaseRecordFor(decision: LeaseDecision, current: LeaseRecord | undefined, identity: string, now: Date, durationSeconds: number): LeaseRecord | undefined {
  switch (decision.action) {
    case 'wait':
      return undefined;
    case 'create':
      return { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 };
    case 'renew':
      return { ...current, holderIdentity: identity, leaseDurationSeconds: durationSeconds, renewTime: now };
    case 'takeover':
      return {
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: (current?.leaseTransitions ?? 0) + 1,
      };
  }
}

export interface LeaseStore {
  get(): Promise<StoredLease | undefined>;
  create(record: LeaseRecord): Promise<void>;
  /** Fails when resourceVersion is stale (someone else wrote first). */
  replace(record: LeaseRecord, resourceVersion: string): Promise<void>;
}

export interface LeaderElectorOptions {
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  /** How often the leader renews (default a third of the duration). */
  readonly renewIntervalMs?: number;
  /** How often a follower tries (default a fifth of the duration). */
  readonly retryIntervalMs?: number;
  readonly now?: () => Date;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
  readonly onError?: (error: unknown) => void;
}

export class LeaderElector {
  private leading = false;
  private lastRenewal = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: LeaseStore,
    private readonly options: LeaderElectorOptions,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops trying and, if leading, hands the lease back so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (!this.leading) return;
    this.setLeading(false);
    try {
      const current = await this.store.get();
      if (current && current.record.holderIdentity === this.options.identity) {
        await this.store.replace({ ...current.record, holderIdentity: '', renewTime: this.now() }, current.resourceVersion);
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /** One round: read the lease, decide, write. Exposed for tests; start() runs it on a timer. */
  async tick(): Promise<boolean> {
    const now = this.now();
    const { identity, leaseDurationSeconds } = this.options;
    try {
      const current = await this.store.get();
      const decision = decideLease(current?.record, identity, now, leaseDurationSeconds);
      const record = leaseRecordFor(decision, current?.record, identity, now, leaseDurationSeconds);
      if (record && decision.action === 'create') await this.store.create(record);
      else if (record && current) await this.store.replace(record, current.resourceVersion);
      if (record) {
        this.lastRenewal = now.getTime();
        this.setLeading(true);
      } else {
        this.setLeading(false);
      }
    } catch (error) {
      this.options.onError?.(error);
      // A leader that cannot renew steps down before its lease can expire and someone else takes it.
      const renewDeadlineMs = (leaseDurationSeconds * 1000 * 2) / 3;
      if (this.leading && now.getTime() - this.lastRenewal >= renewDeadlineMs) this.setLeading(false);
    }
    return this.leading;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then((leading) => {
        const duration = this.options.leaseDurationSeconds * 1000;
        this.schedule(leading ? (this.options.renewIntervalMs ?? duration / 3) : (this.options.retryIntervalMs ?? duration / 5));
      });
    }, delayMs);
    this.timer.unref();
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) this.options.onStartedLeading();
    else this.options.onStoppedLeading();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
