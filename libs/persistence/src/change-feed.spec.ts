import assert from 'node:assert/strict';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ChangeFeed } from './change-feed';
import type { ChannelHandlers, ChannelSubscription } from './notification-channel';

afterEach(() => {
  jest.useRealTimers();
});

/** A subscription the test drives by hand: no database (the real channel is tested in test/integration). */
function fakeChannel() {
  const attempts: Array<{ handlers: ChannelHandlers; closed: boolean }> = [];
  let fail: Error | undefined;
  let unavailable = false;
  let deaf = false;
  const subscribe = async (handlers: ChannelHandlers): Promise<ChannelSubscription | null> => {
    await Promise.resolve();
    if (fail) throw fail;
    if (unavailable) return null;
    const attempt = { handlers, closed: false };
    attempts.push(attempt);
    return {
      // A heartbeat comes back to the listener, unless the channel is deaf (e.g. a transaction pooler).
      notify: async (payload: string) => {
        if (!deaf && !attempt.closed) queueMicrotask(() => handlers.onMessage(payload));
      },
      close: async () => void (attempt.closed = true),
    };
  };
  return {
    subscribe,
    attempts,
    failWith: (error: Error | undefined) => void (fail = error),
    beUnavailable: () => void (unavailable = true),
    beDeaf: (value: boolean) => void (deaf = value),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ChangeFeed (fake channel)', () => {
  it('listens on first use only, and is live with a new epoch once subscribed', async () => {
    const channel = fakeChannel();
    const feed = new ChangeFeed(channel.subscribe, () => {});
    assert.equal(feed.live, false);
    assert.equal(feed.active, false, 'not wanted before a reader asks');
    feed.ensureStarted();
    assert.equal(feed.active, true);
    feed.ensureStarted();
    await settle();
    assert.equal(channel.attempts.length, 1);
    assert.equal(feed.live, true);
    assert.equal(feed.epoch, 1);
    await feed.stop();
    assert.equal(feed.live, false);
    assert.equal(feed.active, false);
    assert.equal(channel.attempts[0]!.closed, true);
  });

  it('is not live from the moment its connection is lost, and listens again under a new epoch', async () => {
    jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] });
    const channel = fakeChannel();
    const feed = new ChangeFeed(channel.subscribe, () => {});
    feed.ensureStarted();
    await settle();
    channel.attempts[0]!.handlers.onLost(new Error('connection reset'));
    assert.equal(feed.live, false);
    channel.failWith(new Error('database down'));
    jest.advanceTimersByTime(500);
    await settle();
    assert.equal(feed.live, false, 'a failed attempt is not live');
    assert.equal(feed.active, true, 'but listening is still wanted (the metric shows it is not heard)');
    channel.failWith(undefined);
    jest.advanceTimersByTime(1_000); // the delay doubled
    await settle();
    assert.equal(feed.live, true);
    assert.equal(feed.epoch, 2);
    assert.equal(channel.attempts.length, 2);
    await feed.stop();
  });

  it('does not count a connection lost while it was being set up as live', async () => {
    jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] });
    const channel = fakeChannel();
    let lose: (() => void) | undefined;
    const feed = new ChangeFeed(async (handlers) => {
      const subscription = await channel.subscribe(handlers);
      lose = () => handlers.onLost(new Error('gone'));
      lose();
      return subscription;
    }, () => {});
    feed.ensureStarted();
    await settle();
    assert.ok(lose);
    assert.equal(feed.live, false);
    assert.equal(feed.epoch, 0);
    await feed.stop();
  });

  it('stays off where the database cannot announce (embedded PGlite), and never retries', async () => {
    const channel = fakeChannel();
    channel.beUnavailable();
    const feed = new ChangeFeed(channel.subscribe, () => {});
    feed.ensureStarted();
    await settle();
    feed.ensureStarted();
    await settle();
    assert.equal(feed.live, false);
    assert.equal(feed.active, false, 'nothing to listen to: not a failure');
    assert.equal(feed.epoch, 0);
  });

  it('stays live while its own heartbeats come back, and listens anew when one does not', async () => {
    jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate'] });
    const channel = fakeChannel();
    const feed = new ChangeFeed(channel.subscribe, () => {}, 1_000);
    feed.ensureStarted();
    await settle();
    for (let beat = 0; beat < 3; beat++) {
      jest.advanceTimersByTime(1_000);
      await settle();
    }
    assert.equal(feed.live, true);
    assert.equal(feed.heard, 0, 'heartbeats are not announcements');
    channel.beDeaf(true);
    jest.advanceTimersByTime(1_000); // sent, never heard
    await settle();
    assert.equal(feed.live, true);
    jest.advanceTimersByTime(1_000); // still not heard: deaf
    await settle();
    assert.equal(feed.live, false);
    assert.equal(channel.attempts[0]!.closed, true, 'the deaf connection is given up');
    channel.beDeaf(false);
    jest.advanceTimersByTime(500);
    await settle();
    assert.equal(feed.live, true);
    assert.equal(feed.epoch, 2);
    await feed.stop();
  });

  it("ignores other listeners' heartbeats", async () => {
    const channel = fakeChannel();
    const heard: string[] = [];
    const feed = new ChangeFeed(channel.subscribe, (payload) => heard.push(payload));
    feed.ensureStarted();
    await settle();
    channel.attempts[0]!.handlers.onMessage('~someone-elses-beat');
    expect(heard).toStrictEqual([]);
    assert.equal(feed.heard, 0);
    await feed.stop();
  });

  it('never counts as live where its notifications do not come back (a transaction pooler)', async () => {
    jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate'] });
    const channel = fakeChannel();
    channel.beDeaf(true);
    const feed = new ChangeFeed(channel.subscribe, () => {}, 1_000);
    feed.ensureStarted();
    for (let step = 0; step < 8; step++) {
      await settle();
      assert.equal(feed.live, false, `step ${step}`);
      jest.advanceTimersByTime(1_000);
    }
    assert.equal(feed.active, true, 'still wanted: the metric shows it is not heard');
    assert.equal(feed.epoch, 0);
    assert.ok(channel.attempts.length >= 2, 'it kept trying');
    await feed.stop();
  });
});
