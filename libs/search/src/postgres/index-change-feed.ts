import { isUuid } from '@tessera/domain';
import { ChangeFeed, HEARTBEAT_MS, type ChangeSource, type SubscribeToChanges } from '@tessera/persistence';

/** What a cache needs to know of the index change feed to trust what it holds. */
export type IndexChangeSource = ChangeSource;

/**
 * The database's announcements of index writes (migration 1765296000000) over the generic change feed
 * (libs/persistence change-feed.ts): one notification per committed change of a workspace's index
 * generation, payload `<workspace id> <generation>`. `onChange` hears every one (generation null: the
 * workspace's index is gone), and `onChangeEverywhere` a truncation of the index's tables (`*`).
 */
export class IndexChangeFeed extends ChangeFeed {
  constructor(
    subscribe: SubscribeToChanges,
    onChange: (workspaceId: string, generation: number | null) => void,
    onChangeEverywhere: () => void,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    super(subscribe, (payload) => {
      if (payload === '*') return onChangeEverywhere();
      const [workspaceId, generation] = payload.split(' ');
      if (!isUuid(workspaceId)) return;
      const value = generation === undefined ? null : Number(generation);
      onChange(workspaceId.toLowerCase(), value === null || Number.isFinite(value) ? value : null);
    }, heartbeatMs, 'index changes');
  }
}
