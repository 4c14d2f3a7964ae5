import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexVersion, workspaceAlias, workspaceIndex } from './index-names';

describe('workspace index names', () => {
  const ws = '0b7e4c1e-4a4f-4f8e-9d6a-2f0c8f1b9a11';

  it('puts a versioned index behind a stable alias', () => {
    assert.equal(workspaceAlias(ws), `tessera-${ws}`);
    assert.equal(workspaceIndex(ws, 3), `tessera-${ws}-v3`);
    assert.equal(indexVersion(ws, `tessera-${ws}-v3`), 3);
    assert.equal(indexVersion(ws, `tessera-${ws}-vx`), null);
    assert.equal(indexVersion(ws, 'tessera-other-v1'), null);
  });

  it('refuses ids that could address another index, a wildcard or a path', () => {
    for (const bad of ['*', 'a,b', '../x', 'A-upper', '', '_all', 'ws/x']) assert.throws(() => workspaceAlias(bad), /not usable/);
  });
});
