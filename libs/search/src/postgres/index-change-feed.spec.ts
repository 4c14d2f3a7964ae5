import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { ChannelHandlers } from '@tessera/persistence';
import { IndexChangeFeed } from './index-change-feed';

const WS = '0b5d0c52-7a4e-4f6e-9a51-3f0d1c2b4a10';

/** The index channel's payloads; the feed's listening machinery is tested in libs/persistence (change-feed.spec.ts). */
describe('IndexChangeFeed payloads (fake channel)', () => {
  const subscribed = () => {
    let handlers: ChannelHandlers | undefined;
    const subscribe = async (given: ChannelHandlers) => {
      handlers = given;
      return { notify: async () => undefined, close: async () => undefined };
    };
    return { subscribe, handlers: () => handlers! };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('passes on well-formed announcements and ignores malformed ones', async () => {
    const channel = subscribed();
    const heard: Array<[string, number | null] | '*'> = [];
    const feed = new IndexChangeFeed(channel.subscribe, (ws, generation) => heard.push([ws, generation]), () => heard.push('*'));
    feed.ensureStarted();
    await settle();
    const { onMessage } = channel.handlers();
    onMessage(`${WS} 42`);
    onMessage(`${WS.toUpperCase()}`);
    onMessage('not-a-workspace 7');
    onMessage('');
    onMessage(`${WS} lots`);
    onMessage('*');
    expect(heard).toStrictEqual([[WS, 42], [WS, null], [WS, null], '*']);
    assert.equal(feed.heard, 6);
    await feed.stop();
  });
});
