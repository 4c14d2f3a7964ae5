import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { ADDITIVE_UPGRADES, indexDefinition, MAPPING_VERSION } from './index-definition';
import { describeUpgrade } from './mapping-upgrade-on-start';
import { upgradeSteps } from './mapping-upgrade';

describe('additive mapping upgrades', () => {
  it('turn the previous version’s mapping into exactly the next version’s definition', () => {
    for (const [version, step] of Object.entries(ADDITIVE_UPGRADES).map(([v, s]) => [Number(v), s] as const)) {
      const before = indexDefinition({ replicas: 0, version: version - 1 }).mappings;
      const after = indexDefinition({ replicas: 0, version }).mappings;
      assert.notDeepEqual(before.properties, after.properties, `v${version} changes the mapping`);
      // PUT _mapping merges the sent fields into the existing ones; _meta is recorded last.
      expect({ ...before, properties: { ...before.properties, ...step.properties }, _meta: { mapping_version: version } }).toStrictEqual(after);
    }
  });

  it('v2 has no title.lowercase; v3 adds it and nothing else', () => {
    assert.equal(MAPPING_VERSION, 3);
    expect(Object.keys(ADDITIVE_UPGRADES)).toStrictEqual(['3']);
    assert.equal(upgradeSteps(2, 3)?.[0]?.missing, 'title.lowercase');
    assert.equal((indexDefinition({ replicas: 0, version: 2 }).mappings.properties?.title as { fields?: unknown }).fields, undefined);
  });

  it('chains only additive steps: from v1 (a new analyzer in v2) it needs a reindex; at the target nothing is left', () => {
    assert.equal(upgradeSteps(1, 3), null);
    expect(upgradeSteps(3, 3)).toStrictEqual([]);
  });

  it('describes each index with names and counts only', () => {
    const index = 'tessera-ws-v2';
    assert.equal(describeUpgrade({ index, from: 2, to: 3, outcome: 'upgraded', updated: 7, conflicts: 1 }), `${index}: mapping v2 → v3 in place, 7 documents re-indexed, 1 skipped as written meanwhile`);
    assert.equal(describeUpgrade({ index, from: 2, to: 3, outcome: 'busy', updated: 0, conflicts: 0 }), `${index}: another process is upgrading it`);
    assert.match(describeUpgrade({ index: 'tessera-ws-v1', from: 1, to: 3, outcome: 'reindex_needed', updated: 0, conflicts: 0 }), /not additive; run reindexWorkspace/);
  });
});
