import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { decideLease, LeaderElector, leaseRecordFor, type LeaseRecord, type LeaseStore, type StoredLease } from './leader-election';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, seconds));

describe('leader election decisions', () => {
  it('creates a missing lease and renews its own', () => {
    expect(decideLease(undefined, 'pod-a', at(0), 15)).toStrictEqual({ action: 'create' });
    expect(decideLease({ holderIdentity: 'pod-a', renewTime: at(0) }, 'pod-a', at(5), 15)).toStrictEqual({ action: 'renew' });
  });

  it('waits while another holder keeps its lease fresh, and takes it once it expires', () => {
    const held: LeaseRecord = { holderIdentity: 'pod-b', leaseDurationSeconds: 15, renewTime: at(0) };
    expect(decideLease(held, 'pod-a', at(14), 15)).toStrictEqual({ action: 'wait', holder: 'pod-b', expiresAt: at(15) });
    expect(decideLease(held, 'pod-a', at(15), 15)).toStrictEqual({ action: 'takeover', previousHolder: 'pod-b' });
  });

  it('takes a released lease at once', () => {
    expect(decideLease({ holderIdentity: '', renewTime: at(0), leaseDurationSeconds: 15 }, 'pod-a', at(1), 15)).toStrictEqual({ action: 'takeover' });
  });

  it('counts transitions when the holder changes, not when it renews', () => {
    const current: LeaseRecord = { holderIdentity: 'pod-b', leaseTransitions: 4, acquireTime: at(0), renewTime: at(0) };
    assert.equal(leaseRecordFor({ action: 'takeover' }, current, 'pod-a', at(20), 15)?.leaseTransitions, 5);
    const mine: LeaseRecord = { ...current, holderIdentity: 'pod-a' };
    const renewed = leaseRecordFor({ action: 'renew' }, mine, 'pod-a', at(20), 15);
    assert.equal(renewed?.leaseTransitions, 4);
    expect(renewed?.acquireTime).toStrictEqual(at(0));
    expect(renewed?.renewTime).toStrictEqual(at(20));
  });
});

class MemoryLeaseStore implements LeaseStore {
  lease: StoredLease | undefined;
  failing = false;
  private version = 0;
  async get() {
    if (this.failing) throw new Error('API server unreachable');
    return this.lease;
  }
  async create(record: LeaseRecord) {
    if (this.failing) throw new Error('API server unreachable');
    if (this.lease) throw new Error('AlreadyExists');
    this.lease = { record, resourceVersion: String(++this.version) };
  }
  async replace(record: LeaseRecord, resourceVersion: string) {
    if (this.failing) throw new Error('API server unreachable');
    if (this.lease?.resourceVersion !== resourceVersion) throw new Error('Conflict');
    this.lease = { record, resourceVersion: String(++this.version) };
  }
}

describe('LeaderElector', () => {
  it('lets exactly one of two replicas lead, and hands over when the leader stops', async () => {
    const store = new MemoryLeaseStore();
    let now = at(0);
    const events: string[] = [];
    const elector = (identity: string) =>
      new LeaderElector(store, {
        identity,
        leaseDurationSeconds: 15,
        now: () => now,
        onStartedLeading: () => events.push(`${identity} leads`),
        onStoppedLeading: () => events.push(`${identity} stops`),
      });
    const a = elector('pod-a');
    const b = elector('pod-b');
    assert.equal(await a.tick(), true);
    assert.equal(await b.tick(), false);
    now = at(5);
    assert.equal(await a.tick(), true);
    assert.equal(await b.tick(), false);
    await a.stop(); // hands the lease back
    assert.equal(store.lease?.record.holderIdentity, '');
    assert.equal(await b.tick(), true);
    expect(events).toStrictEqual(['pod-a leads', 'pod-a stops', 'pod-b leads']);
  });

  it('steps down when it cannot renew before the lease could be taken by another replica', async () => {
    const store = new MemoryLeaseStore();
    let now = at(0);
    let leading = false;
    const elector = new LeaderElector(store, {
      identity: 'pod-a',
      leaseDurationSeconds: 15,
      now: () => now,
      onStartedLeading: () => (leading = true),
      onStoppedLeading: () => (leading = false),
    });
    await elector.tick();
    assert.equal(leading, true);
    store.failing = true;
    now = at(5);
    await elector.tick();
    assert.equal(leading, true, 'a single failed renewal is tolerated');
    now = at(10);
    await elector.tick();
    assert.equal(leading, false, 'after two thirds of the lease duration without renewal it stops');
  });
});
